package io.relais.engine.evaluation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.JsonValues;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer for one contact: decisions in phase then rule order, the resulting state,
 * warnings, and for each rule whether it fired and why ({@code trace}: every rule, written
 * when read). Answers and recorded decisions carry a part of that trace ({@link #trace(TraceMode)}).
 */
public record Evaluation(
    String contactId,
    String ruleset,
    int version,
    Instant now,
    List<Decision> decisions,
    State contact,
    List<String> warnings,
    List<TraceEntry> trace,
    @JsonIgnore Contact resultingContact) {

  public Evaluation {
    decisions = List.copyOf(decisions);
    warnings = List.copyOf(warnings);
    // The engine's trace is immutable and written when read (LazyTrace): copying it here
    // would write every entry of every decision.
    trace = trace instanceof LazyTrace ? trace : List.copyOf(trace);
  }

  /**
   * The part of the trace a mode asks for: {@link TraceMode#FIRED} the rules that fired,
   * {@link TraceMode#ALL} every rule the triggering event could reach, {@link TraceMode#NONE}
   * nothing. Only the entries returned are written: by default, no rule that did not fire has its
   * condition evaluated again.
   */
  public List<TraceEntry> trace(TraceMode mode) {
    if (trace instanceof LazyTrace lazy) {
      return switch (mode) {
        case FIRED -> lazy.fired();
        case ALL -> lazy.reachable();
        case NONE -> List.of();
      };
    }
    // A trace given whole (not the engine's): which rules an event could reach is not known.
    return switch (mode) {
      case FIRED -> trace.stream().filter(TraceEntry::fired).toList();
      case ALL -> trace;
      case NONE -> List.of();
    };
  }

  /** The names of the rules that fired, in rule order (their conditions are not evaluated again). */
  public List<String> firedRules() {
    return trace instanceof LazyTrace lazy ? lazy.firedRules()
        : trace.stream().filter(TraceEntry::fired).map(TraceEntry::rule).toList();
  }

  /**
   * The evaluation's JSON as plain values ({@code POST /decisions}' answer, the decision stored
   * with an event), with the trace {@code mode} asks for ({@link TraceMode#NONE}: no
   * {@code trace} field): the same map the object mapper converts this evaluation to once its
   * trace is {@link #trace(TraceMode)}, built by hand because every event's decision needs it
   * (the mapper wrote each value out and read it back). Not a JSON property: the object mapper
   * still writes the record itself.
   */
  public Map<String, Object> toJson(TraceMode mode) {
    Map<String, Object> out = new LinkedHashMap<>(16);
    out.put("contactId", contactId);
    out.put("ruleset", ruleset);
    out.put("version", version);
    out.put("now", now == null ? null : JsonValues.iso(now));
    List<Object> decided = new ArrayList<>(decisions.size());
    for (Decision decision : decisions) {
      Map<String, Object> json = decision.json();
      json.replaceAll((name, value) -> JsonValues.plain(value));
      decided.add(json);
    }
    out.put("decisions", decided);
    if (contact == null) {
      out.put("contact", null);
    } else {
      Map<String, Object> state = new LinkedHashMap<>(8);
      state.put("score", contact.score());
      state.put("stage", contact.stage() == null ? null : contact.stage().name());
      state.put("tags", contact.tags() == null ? null : new LinkedHashMap<>(contact.tags()));
      state.put("segments", contact.segments() == null ? null : new ArrayList<>(contact.segments()));
      state.put("points", contact.points());
      state.put("tier", contact.tier());
      out.put("contact", state);
    }
    out.put("warnings", new ArrayList<>(warnings));
    if (mode != TraceMode.NONE) {
      List<TraceEntry> entries = trace(mode);
      List<Object> traced = new ArrayList<>(entries.size());
      for (TraceEntry entry : entries) {
        Map<String, Object> json = new LinkedHashMap<>(4);
        json.put("rule", entry.rule());
        json.put("fired", entry.fired());
        json.put("why", entry.why());
        if (entry.falsePart() != null) {
          SourceSpan at = entry.falsePart();
          Map<String, Object> part = new LinkedHashMap<>(5);
          part.put("file", at.file());
          part.put("line", at.line());
          part.put("column", at.column());
          part.put("endLine", at.endLine());
          part.put("endColumn", at.endColumn());
          json.put("falsePart", part);
        }
        traced.add(json);
      }
      out.put("trace", traced);
    }
    return out;
  }

  /** The rule-managed state after the evaluation. */
  public record State(
      int score, Stage stage, Map<String, Integer> tags, Set<String> segments, BigDecimal points, String tier) {}

  /**
   * Whether a rule fired, and the values its condition compared; for a rule whose condition was
   * false, where the part that was false is written ({@code falsePart}, else null).
   */
  public record TraceEntry(String rule, boolean fired, String why,
      @JsonInclude(JsonInclude.Include.NON_NULL) SourceSpan falsePart) {}
}
