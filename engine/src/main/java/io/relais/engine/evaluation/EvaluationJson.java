package io.relais.engine.evaluation;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.compile.Trace;
import io.relais.engine.compile.TraceText;
import io.relais.engine.contact.JsonValues;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An evaluation's JSON written straight to a generator: the same text the object mapper writes
 * of {@link Evaluation#toJson(TraceMode)}, byte for byte, without building that map of maps first
 * (docs/performance.md: building it and having the mapper walk it cost more than the evaluation).
 * Field names are encoded once; values are written as {@link JsonValues#plain} makes them.
 * As a {@link JsonSerializable} (an answer's body), it is written by whichever generator the
 * caller's object mapper opens, with that mapper's settings.
 */
public final class EvaluationJson implements JsonSerializable {

  private static final SerializableString CONTACT_ID = name("contactId");
  private static final SerializableString RULESET = name("ruleset");
  private static final SerializableString VERSION = name("version");
  private static final SerializableString NOW = name("now");
  private static final SerializableString DECISIONS = name("decisions");
  private static final SerializableString CONTACT = name("contact");
  private static final SerializableString SCORE = name("score");
  private static final SerializableString STAGE = name("stage");
  private static final SerializableString TAGS = name("tags");
  private static final SerializableString SEGMENTS = name("segments");
  private static final SerializableString POINTS = name("points");
  private static final SerializableString TIER = name("tier");
  private static final SerializableString WARNINGS = name("warnings");
  private static final SerializableString TRACE = name("trace");
  private static final SerializableString TYPE = name("type");
  private static final SerializableString RULE = name("rule");
  private static final SerializableString SOURCE = name("source");
  private static final SerializableString REASON = name("reason");
  private static final SerializableString FIRED = name("fired");
  private static final SerializableString WHY = name("why");
  private static final SerializableString FALSE_PART = name("falsePart");
  private static final SerializableString FILE = name("file");
  private static final SerializableString LINE = name("line");
  private static final SerializableString COLUMN = name("column");
  private static final SerializableString END_LINE = name("endLine");
  private static final SerializableString END_COLUMN = name("endColumn");
  /** The names of the fields decisions have (docs/language.md, "What a decision looks like"), encoded once. */
  private static final Map<String, SerializableString> FIELD_NAMES = Stream.of("tag", "delta", "count",
      "segment", "score", "from", "to", "campaign", "steps", "message", "sendAt", "balance", "expiresAt",
      "reward", "cost", "channel", "of", "reason", "points", "tier", "lot", "earnedAt", "step", "dueAt")
      .collect(Collectors.toUnmodifiableMap(n -> n, EvaluationJson::name));
  /** The decision types' names, encoded once. */
  private static final SerializableString[] TYPES = types();

  private final Evaluation evaluation;
  /**
   * The trace's entries to write, null for none: entries ({@link Evaluation.TraceEntry}) written
   * when the answer is made, so that nothing is evaluated while it is sent, and fired rules'
   * recorded steps ({@link LazyTrace.Recorded}), whose text is written while it is sent.
   */
  private final List<?> trace;
  private final List<String> moreWarnings;

  private EvaluationJson(Evaluation evaluation, TraceMode mode, List<String> moreWarnings) {
    this.evaluation = evaluation;
    this.trace = trace(evaluation, mode);
    this.moreWarnings = List.copyOf(moreWarnings);
  }

  /**
   * The answer of a decision: {@code evaluation} with the part of its trace {@code mode} asks for
   * (its entries written now, so that nothing is evaluated while the answer is sent), and {@code
   * moreWarnings} (the caller's, such as the store's) after its own warnings.
   */
  public static EvaluationJson answer(Evaluation evaluation, TraceMode mode, List<String> moreWarnings) {
    return new EvaluationJson(evaluation, mode, moreWarnings);
  }

  @Override
  public void serialize(JsonGenerator out, SerializerProvider serializers) throws IOException {
    write(evaluation, trace, moreWarnings, out);
  }

  @Override
  public void serializeWithType(JsonGenerator out, SerializerProvider serializers, TypeSerializer type)
      throws IOException {
    serialize(out, serializers);
  }

  /**
   * Writes {@code evaluation} as {@link Evaluation#toJson(TraceMode)} holds it, with {@code
   * moreWarnings} after its warnings.
   */
  public static void write(Evaluation evaluation, TraceMode mode, List<String> moreWarnings, JsonGenerator out)
      throws IOException {
    write(evaluation, trace(evaluation, mode), moreWarnings, out);
  }

  private static List<?> trace(Evaluation evaluation, TraceMode mode) {
    if (mode == TraceMode.NONE) {
      return null;
    }
    return evaluation.trace() instanceof LazyTrace lazy ? lazy.answer(mode) : evaluation.trace(mode);
  }

  private static void write(Evaluation evaluation, List<?> trace, List<String> moreWarnings,
      JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeFieldName(CONTACT_ID);
    writeString(out, evaluation.contactId());
    out.writeFieldName(RULESET);
    writeString(out, evaluation.ruleset());
    out.writeFieldName(VERSION);
    out.writeNumber(evaluation.version());
    out.writeFieldName(NOW);
    if (evaluation.now() == null) {
      out.writeNull();
    } else {
      writeInstant(out, evaluation.now());
    }
    out.writeFieldName(DECISIONS);
    out.writeStartArray();
    for (Decision decision : evaluation.decisions()) {
      writeDecision(out, decision);
    }
    out.writeEndArray();
    out.writeFieldName(CONTACT);
    writeState(out, evaluation.contact());
    out.writeFieldName(WARNINGS);
    out.writeStartArray();
    for (String warning : evaluation.warnings()) {
      writeString(out, warning);
    }
    for (String warning : moreWarnings) {
      writeString(out, warning);
    }
    out.writeEndArray();
    if (trace != null) {
      out.writeFieldName(TRACE);
      out.writeStartArray();
      TraceText text = null; // made for the first recorded entry, then written into again
      boolean utf8 = writesPlainUtf8(out);
      for (Object entry : trace) {
        if (entry instanceof LazyTrace.Recorded recorded) {
          text = text == null ? new TraceText() : text;
          writeRecorded(out, recorded, utf8 ? text : null);
        } else {
          writeEntry(out, (Evaluation.TraceEntry) entry);
        }
      }
      out.writeEndArray();
    }
    out.writeEndObject();
  }

  private static void writeDecision(JsonGenerator out, Decision decision) throws IOException {
    Map<String, Object> fields = decision.fields();
    if (namesOwnField(fields)) {
      // A field named as one of the decision's own: the map puts it in that one's place.
      writePlain(out, decision.json());
      return;
    }
    out.writeStartObject();
    out.writeFieldName(TYPE);
    out.writeString(TYPES[decision.type().ordinal()]);
    boolean hasReason;
    if (fields instanceof DecisionFields known) {
      hasReason = false;
      for (int i = 0; i < known.size(); i++) {
        String name = known.name(i);
        hasReason |= name.equals("reason");
        SerializableString encoded = FIELD_NAMES.get(name);
        if (encoded != null) {
          out.writeFieldName(encoded);
        } else {
          out.writeFieldName(name);
        }
        writePlain(out, known.value(i));
      }
    } else {
      hasReason = fields.containsKey("reason");
      for (Map.Entry<String, Object> field : fields.entrySet()) {
        out.writeFieldName(field.getKey());
        writePlain(out, field.getValue());
      }
    }
    out.writeFieldName(RULE);
    writeString(out, decision.rule());
    out.writeFieldName(SOURCE);
    writeString(out, decision.source());
    if (decision.reason() != null && !hasReason) {
      out.writeFieldName(REASON);
      out.writeString(decision.reason());
    }
    out.writeEndObject();
  }

  /** Whether a field is named as one of the decision's own ({@code type}, {@code rule}, {@code source}). */
  private static boolean namesOwnField(Map<String, Object> fields) {
    if (fields instanceof DecisionFields known) {
      // One pass, the names compared by hash (a decision is written once: no use keeping this).
      for (int i = 0; i < known.size(); i++) {
        switch (known.name(i)) {
          case "type", "rule", "source" -> {
            return true;
          }
          default -> { }
        }
      }
      return false;
    }
    return fields.containsKey("type") || fields.containsKey("rule") || fields.containsKey("source");
  }

  private static void writeState(JsonGenerator out, Evaluation.State state) throws IOException {
    if (state == null) {
      out.writeNull();
      return;
    }
    out.writeStartObject();
    out.writeFieldName(SCORE);
    out.writeNumber(state.score());
    out.writeFieldName(STAGE);
    writeString(out, state.stage() == null ? null : state.stage().name());
    out.writeFieldName(TAGS);
    writePlain(out, state.tags());
    out.writeFieldName(SEGMENTS);
    writePlain(out, state.segments());
    out.writeFieldName(POINTS);
    writePlain(out, state.points());
    out.writeFieldName(TIER);
    writeString(out, state.tier());
    out.writeEndObject();
  }

  private static void writeEntry(JsonGenerator out, Evaluation.TraceEntry entry) throws IOException {
    out.writeStartObject();
    out.writeFieldName(RULE);
    writeString(out, entry.rule());
    out.writeFieldName(FIRED);
    out.writeBoolean(entry.fired());
    out.writeFieldName(WHY);
    writeString(out, entry.why());
    SourceSpan at = entry.falsePart();
    if (at != null) {
      out.writeFieldName(FALSE_PART);
      out.writeStartObject();
      out.writeFieldName(FILE);
      writeString(out, at.file());
      out.writeFieldName(LINE);
      out.writeNumber(at.line());
      out.writeFieldName(COLUMN);
      out.writeNumber(at.column());
      out.writeFieldName(END_LINE);
      out.writeNumber(at.endLine());
      out.writeFieldName(END_COLUMN);
      out.writeNumber(at.endColumn());
      out.writeEndObject();
    }
    out.writeEndObject();
  }

  /**
   * A fired rule's entry as {@link #writeEntry} writes it: its text written from its recorded
   * steps into {@code text} (null: the generator is not one {@link TraceText} writes for) and
   * handed to the generator as it is, or, when that text cannot be written so, as a string.
   */
  private static void writeRecorded(JsonGenerator out, LazyTrace.Recorded recorded, TraceText text)
      throws IOException {
    out.writeStartObject();
    out.writeFieldName(RULE);
    writeString(out, recorded.rule());
    out.writeFieldName(FIRED);
    out.writeBoolean(true);
    out.writeFieldName(WHY);
    Trace steps = recorded.steps();
    if (text != null && steps.write(recorded.from(), recorded.to(), text)) {
      out.writeRawUTF8String(text.bytes(), 0, text.length());
    } else {
      out.writeString(steps.why(recorded.from(), recorded.to()));
    }
    out.writeEndObject(); // no false part: the rule fired
  }

  /**
   * Whether {@code out} writes a string as {@link TraceText} does: Jackson's UTF-8 generator
   * (the service's answers, the store's bytes) with its default escapes. One that escapes
   * non-ASCII characters or slashes, or has escapes of its own, is given strings. (A generator
   * does not tell its quote character; no mapper here sets another than {@code "}.)
   */
  static boolean writesPlainUtf8(JsonGenerator out) {
    return out instanceof UTF8JsonGenerator
        && out.getCharacterEscapes() == null
        && out.getHighestEscapedChar() == 0
        && !out.isEnabled(JsonGenerator.Feature.ESCAPE_FORWARD_SLASHES);
  }

  /**
   * Writes {@code value} as the object mapper writes {@link JsonValues#plain}{@code (value)}:
   * JSON scalars as they are, dates and times as ISO text, stages by name, maps and collections
   * in their order; anything else converted by {@link JsonValues#plain} first.
   */
  static void writePlain(JsonGenerator out, Object value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else if (value instanceof String s) {
      out.writeString(s);
    } else if (value instanceof Integer i) {
      out.writeNumber(i);
    } else if (value instanceof Long l) {
      out.writeNumber(l);
    } else if (value instanceof BigDecimal d) {
      out.writeNumber(d);
    } else if (value instanceof Boolean b) {
      out.writeBoolean(b);
    } else if (value instanceof Double d) {
      out.writeNumber(d);
    } else if (value instanceof BigInteger i) {
      out.writeNumber(i);
    } else if (value instanceof Instant instant) {
      writeInstant(out, instant);
    } else if (value instanceof LocalDate date) {
      out.writeString(date.toString());
    } else if (value instanceof Stage stage) {
      out.writeString(stage.name());
    } else if (value instanceof Map<?, ?> map && stringKeys(map)) {
      out.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.writeFieldName((String) e.getKey());
        writePlain(out, e.getValue());
      }
      out.writeEndObject();
    } else if (value instanceof Collection<?> collection) {
      out.writeStartArray();
      for (Object item : collection) {
        writePlain(out, item);
      }
      out.writeEndArray();
    } else {
      // Another type (or a map with other keys): converted as JsonValues converts it, whose
      // result is made of the values above.
      writePlain(out, JsonValues.plain(value));
    }
  }

  /**
   * {@code instant} as {@link JsonValues#iso} writes it: as bytes to a UTF-8 generator without
   * escapes of its own (the text has no character any setting escapes), as a string to others.
   */
  private static void writeInstant(JsonGenerator out, Instant instant) throws IOException {
    if (out instanceof UTF8JsonGenerator && out.getCharacterEscapes() == null) {
      byte[] text = new byte[JsonValues.ISO_LENGTH];
      int length = JsonValues.iso(instant, text);
      if (length >= 0) {
        out.writeRawUTF8String(text, 0, length);
        return;
      }
    }
    out.writeString(JsonValues.iso(instant));
  }

  private static boolean stringKeys(Map<?, ?> map) {
    for (Object key : map.keySet()) {
      if (!(key instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static void writeString(JsonGenerator out, String value) throws IOException {
    if (value == null) {
      out.writeNull();
    } else {
      out.writeString(value);
    }
  }

  private static SerializableString name(String name) {
    return new SerializedString(name);
  }

  private static SerializableString[] types() {
    Decision.Type[] types = Decision.Type.values();
    SerializableString[] out = new SerializableString[types.length];
    for (Decision.Type type : types) {
      out[type.ordinal()] = name(type.name());
    }
    return out;
  }
}
