package io.relais.api.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * What the service decided, as meters: {@code relais.decisions} (per ruleset and decision
 * type), {@code relais.decision.latency} (a histogram, per ruleset and call), {@code
 * relais.rule.fires} (per ruleset and rule), {@code relais.events} (applied or replayed). Store
 * errors are counted where they are translated ({@code relais.store.errors}).
 */
@Component
public class DecisionMetrics {

  private final MeterRegistry meters;

  public DecisionMetrics(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * Counts one answered decision from its JSON (so it is independent of the engine's types):
   * the rules that fired are those its trace says fired.
   *
   * @param via {@code decisions} or {@code events}
   */
  public void decided(Map<String, Object> answer, Duration took, String via) {
    List<String> fired = new ArrayList<>();
    if (answer.get("trace") instanceof List<?> trace) {
      for (Object entry : trace) {
        if (entry instanceof Map<?, ?> t && Boolean.TRUE.equals(t.get("fired"))) {
          fired.add(String.valueOf(t.get("rule")));
        }
      }
    }
    decided(answer, fired, took, via);
  }

  /**
   * Counts one answered decision from its evaluation: its ruleset, its decisions' types and the
   * rules that fired (whatever part of the trace the answer carries).
   *
   * @param via {@code decisions} or {@code events}
   */
  public void decided(Evaluation evaluation, Duration took, String via) {
    String ruleset = String.valueOf(evaluation.ruleset());
    List<String> types = new ArrayList<>(evaluation.decisions().size());
    for (Decision decision : evaluation.decisions()) {
      types.add(decision.type().name());
    }
    count(ruleset, types, evaluation.firedRules(), took, via);
  }

  /**
   * Counts one answered decision from its JSON and the names of the rules that fired (an
   * answer's trace may leave them out: {@code "trace": "none"}).
   *
   * @param via {@code decisions} or {@code events}
   */
  public void decided(Map<String, Object> answer, List<String> firedRules, Duration took, String via) {
    List<String> types = new ArrayList<>();
    if (answer.get("decisions") instanceof List<?> decisions) {
      for (Object decision : decisions) {
        if (decision instanceof Map<?, ?> d) {
          types.add(String.valueOf(d.get("type")));
        }
      }
    }
    count(String.valueOf(answer.get("ruleset")), types, firedRules, took, via);
  }

  private void count(String ruleset, List<String> types, List<String> firedRules, Duration took, String via) {
    Timer.builder("relais.decision.latency")
        .description("Time to answer one decision, store reads and writes included")
        .tag("ruleset", ruleset)
        .tag("via", via)
        .publishPercentileHistogram()
        .register(meters)
        .record(took);
    for (String type : types) {
      Counter.builder("relais.decisions").description("Decisions made, per ruleset and type")
          .tag("ruleset", ruleset).tag("type", type)
          .register(meters).increment();
    }
    for (String rule : firedRules) {
      Counter.builder("relais.rule.fires").description("Rules that fired, per ruleset and rule")
          .tag("ruleset", ruleset).tag("rule", rule)
          .register(meters).increment();
    }
  }

  /** Counts one posted event: applied the first time, replayed afterwards. */
  public void event(boolean replayed) {
    Counter.builder("relais.events").description("Events posted, applied or replayed")
        .tag("outcome", replayed ? "replayed" : "applied")
        .register(meters).increment();
  }
}
