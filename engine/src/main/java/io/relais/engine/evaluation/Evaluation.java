package io.relais.engine.evaluation;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer for one contact: decisions in phase then rule order, the resulting state,
 * warnings, and for each rule whether it fired and why.
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

  /** The rule-managed state after the evaluation. */
  public record State(
      int score, Stage stage, Map<String, Integer> tags, Set<String> segments, BigDecimal points, String tier) {}

  /** Whether a rule fired, and the values its condition compared. */
  public record TraceEntry(String rule, boolean fired, String why) {}
}
