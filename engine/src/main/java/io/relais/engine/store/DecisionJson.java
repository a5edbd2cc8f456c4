package io.relais.engine.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.EvaluationJson;
import io.relais.engine.evaluation.TraceMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A recorded decision: the answer of its event, kept in the contact's outbox entry and in the
 * event's document (docs/store.md, "The recorded decision").
 *
 * <ul>
 *   <li>A decision made now is written out as JSON text once, and that text is what the answer
 *       carries; the store gets it compressed once ({@link #FIELD}). Before, the answer, the
 *       outbox entry and the event document each wrote the decision's map out again, and the
 *       store parsed, kept and merged it twice per event as a JSON object of some hundred values,
 *       most of them its trace.
 *   <li>A decision read back from the store stays compressed until something needs it (a
 *       replay); written again (an outbox entry carried over, a document written from the
 *       outbox), it is copied as it is.
 *   <li>Documents of an earlier Relais keep it as a JSON object ({@link #LEGACY_FIELD}); they are
 *       read as well.
 * </ul>
 *
 * <p>Immutable; the forms not given are computed on first use.
 */
public final class DecisionJson implements JsonSerializable {

  /** The field of an outbox entry or event document: the decision's JSON, zlib-compressed, in base64. */
  public static final String FIELD = "decisionDeflated";
  /** The field documents written by an earlier Relais hold the decision in: a JSON object. */
  public static final String LEGACY_FIELD = "decision";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
  private static final DecisionJson EMPTY = new DecisionJson(Map.of(), "{}", null);

  /**
   * Compressors kept between decisions: a new one per decision set up and freed some 260 KB of
   * zlib state each time, which cost more than compressing (docs/performance.md). At most this
   * many are kept (their native memory is bounded); more callers at once make their own and free it.
   */
  private static final BlockingQueue<Deflater> DEFLATERS =
      new ArrayBlockingQueue<>(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));

  private volatile Map<String, Object> map;
  private volatile String text;
  private volatile String deflated;

  private DecisionJson(Map<String, Object> map, String text, String deflated) {
    this.map = map;
    this.text = text;
    this.deflated = deflated;
  }

  /**
   * A decision made now, of plain JSON values ({@code Evaluation.toJson(TraceMode.FIRED)}):
   * written out and compressed at once, since its answer and its store writes need both.
   */
  public static DecisionJson of(Map<String, Object> decision) {
    Map<String, Object> copy = Collections.unmodifiableMap(new LinkedHashMap<>(decision));
    String text = write(copy);
    return new DecisionJson(copy, text, deflate(text));
  }

  /**
   * The decision an event records: {@code evaluation} with the fired rules' trace ({@code
   * Evaluation.toJson(TraceMode.FIRED)}), its text streamed from the evaluation ({@link
   * EvaluationJson}, the same text the map writes) and compressed at once.
   */
  public static DecisionJson of(Evaluation evaluation) {
    Map<String, Object> map = Collections.unmodifiableMap(evaluation.toJson(TraceMode.FIRED));
    String text;
    try {
      text = JSON.writeValueAsString(EvaluationJson.answer(evaluation, TraceMode.FIRED, List.of()));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // plain JSON values: cannot happen
    }
    return new DecisionJson(map, text, deflate(text));
  }

  /**
   * A decision as JSON values (a document of an earlier Relais, or an answer that is not the
   * recorded decision: another part of the trace); written out or compressed only when asked.
   * None: empty.
   */
  public static DecisionJson stored(Map<String, Object> decision) {
    return decision == null || decision.isEmpty()
        ? EMPTY
        : new DecisionJson(Collections.unmodifiableMap(new LinkedHashMap<>(decision)), null, null);
  }

  /**
   * The decision of a stored outbox entry or event document: {@link #FIELD}, else
   * {@link #LEGACY_FIELD}, else (a document built in memory, not written yet) the decision itself;
   * none: empty.
   */
  @SuppressWarnings("unchecked")
  public static DecisionJson fromDocument(Map<?, ?> document) {
    Object value = document.get(FIELD);
    if (value == null) {
      value = document.get(LEGACY_FIELD);
    }
    if (value instanceof DecisionJson decision) {
      return decision;
    }
    if (value instanceof String deflated && !deflated.isEmpty()) {
      return new DecisionJson(null, null, deflated);
    }
    return stored(value instanceof Map<?, ?> legacy ? (Map<String, Object>) legacy : null);
  }

  /** The decision as JSON values (read only). */
  public Map<String, Object> map() {
    Map<String, Object> known = map;
    if (known == null) {
      try {
        known = Collections.unmodifiableMap(JSON.readValue(text(), MAP));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a stored decision that is not JSON", e);
      }
      map = known;
    }
    return known;
  }

  /** The decision as JSON text. */
  public String text() {
    String known = text;
    if (known == null) {
      known = map != null ? write(map) : inflate(deflated);
      text = known;
    }
    return known;
  }

  /** The stored form: {@link #text()} compressed with zlib, in base64. */
  public String deflated() {
    String known = deflated;
    if (known == null) {
      known = deflate(text());
      deflated = known;
    }
    return known;
  }

  /**
   * The answer of an event: this decision's object with {@code "replayed"} as its last field,
   * in UTF-8 ({@code EventRecorder.Outcome.json()} in bytes, without writing the decision again).
   */
  public byte[] answer(boolean replayed) {
    String json = text();
    int close = json.lastIndexOf('}');
    int last = close - 1; // the object's last character before its '}': '{' when it is empty
    while (Character.isWhitespace(json.charAt(last))) {
      last--;
    }
    String field = (json.charAt(last) == '{' ? "" : ",") + "\"replayed\":" + replayed + "}";
    return (json.substring(0, close) + field).getBytes(StandardCharsets.UTF_8);
  }

  /** Written as its stored form, the value of {@link #FIELD}. */
  @Override
  public void serialize(JsonGenerator out, SerializerProvider serializers) throws IOException {
    out.writeString(deflated());
  }

  @Override
  public void serializeWithType(JsonGenerator out, SerializerProvider serializers, TypeSerializer type)
      throws IOException {
    serialize(out, serializers);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DecisionJson that && map().equals(that.map());
  }

  @Override
  public int hashCode() {
    return map().hashCode();
  }

  @Override
  public String toString() {
    return text();
  }

  private static String write(Map<String, Object> map) {
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // plain JSON values (made or read): cannot happen
    }
  }

  // The fastest level: decisions repeat their field names and phrases; level 1 took the
  // acme-auto decision with every rule's trace from 2.8 KB to 0.9 KB, higher levels gain a few
  // percent for half as much CPU again (docs/performance.md).
  private static String deflate(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    Deflater deflater = borrowDeflater();
    try {
      deflater.setInput(utf8);
      deflater.finish();
      byte[] out = new byte[utf8.length / 2 + 64];
      int length = 0;
      while (!deflater.finished()) {
        if (length == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        length += deflater.deflate(out, length, out.length - length);
      }
      return Base64.getEncoder().encodeToString(Arrays.copyOf(out, length));
    } finally {
      giveBack(deflater);
    }
  }

  /** A compressor at the fastest level: one kept, else a new one. */
  static Deflater borrowDeflater() {
    Deflater kept = DEFLATERS.poll();
    return kept != null ? kept : new Deflater(Deflater.BEST_SPEED);
  }

  /** Keeps {@code deflater}, reset, for the next decision; frees it when enough are kept. */
  static void giveBack(Deflater deflater) {
    deflater.reset();
    if (!DEFLATERS.offer(deflater)) {
      deflater.end();
    }
  }

  /** How many compressors are kept now. */
  static int keptDeflaters() {
    return DEFLATERS.size();
  }

  /** The most compressors kept. */
  static int maxKeptDeflaters() {
    return DEFLATERS.size() + DEFLATERS.remainingCapacity();
  }

  private static String inflate(String deflated) {
    Inflater inflater = new Inflater();
    try {
      byte[] in = Base64.getDecoder().decode(deflated);
      inflater.setInput(in);
      byte[] out = new byte[in.length * 4 + 64];
      int length = 0;
      while (!inflater.finished()) {
        if (length == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        int inflated = inflater.inflate(out, length, out.length - length);
        if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalStateException("a stored decision that is cut short");
        }
        length += inflated;
      }
      return new String(out, 0, length, StandardCharsets.UTF_8);
    } catch (DataFormatException | IllegalArgumentException e) {
      throw new IllegalStateException("a stored decision that is not readable", e);
    } finally {
      inflater.end();
    }
  }
}
