package io.relais.bench;

import io.relais.bench.drl.BContact;
import io.relais.bench.drl.BEvent;
import io.relais.bench.drl.HandWrittenDrl;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision against 1,000 generated rules of which about 20 match: rules guarded by one of
 * 50 event types (20 rules each), half segment rules that tag, half scoring rules, each also
 * testing an attribute of the event. The triggering event is of one type, so 20 rules pass
 * the guard and fire. If the engine were a loop over every rule, this decision would cost
 * about 20 times the 50-rule one; the network makes it cost about the same.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LargeRulesetBenchmark {

  static final int RULES = 1_000;
  static final int TYPES = 50;
  static final Instant NOW = DecisionBenchmark.NOW;

  CompiledRuleset ruleset;
  Contact contact;
  Event event;
  List<Event> history;
  KieBase drlBase;
  BEvent[] drlEvents;
  PlainRule[] plain;

  static String rules() {
    StringBuilder text = new StringBuilder();
    for (int t = 0; t < TYPES; t++) {
      text.append("event t").append(t).append(" { url: text, value: number }\n");
    }
    for (int i = 0; i < RULES; i++) {
      boolean segment = i % 2 == 0;
      text.append(segment ? "segment" : "scoring").append(" \"Rule ").append(i)
          .append("\"\nwhen event is t").append(i % TYPES).append(" and event.value >= ")
          .append(i % 7).append("\nthen ")
          .append(segment ? "tag \"T" + (i % 12) + "\"" : "add 1 to score").append("\nend\n");
    }
    return text.toString();
  }

  static String drl() {
    StringBuilder drl = new StringBuilder("package io.relais.bench.large;\n")
        .append("import io.relais.bench.drl.BContact;\nimport io.relais.bench.drl.BEvent;\n\n");
    for (int i = 0; i < RULES; i++) {
      boolean segment = i % 2 == 0;
      drl.append("rule \"r").append(i).append("\"\n  ruleflow-group \"phase-")
          .append(segment ? 1 : 2).append("\"\n  lock-on-active true\nwhen\n")
          .append("  $c : BContact()\n  BEvent(triggering, type == \"t").append(i % TYPES)
          .append("\", amount >= ").append(i % 7).append(")\nthen\n")
          .append(segment ? "  modify($c) { addTag(\"T" + (i % 12) + "\") };\n"
              : "  modify($c) { setScore($c.getScore() + 1) };\n")
          .append("end\n\n");
    }
    return drl.toString();
  }

  /** A rule as plain Java holds it: what it tests and what it does. */
  record PlainRule(String type, int min, boolean segment, String tag) {}

  @Setup
  public void setUp() {
    CheckResult checked = RuleLanguage.check("large", List.of(new Source("large.rules", rules())));
    if (checked.ruleset().isEmpty()) {
      throw new IllegalStateException("benchmark ruleset has errors: " + checked.diagnostics());
    }
    ruleset = CompiledRuleset.compile(checked.ruleset().get(), 1);
    contact = Contact.withId("c-1");
    event = new Event("e", "t7", NOW, Map.of("url", "/x", "value", 10));
    history = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      history.add(new Event("h" + i, "t" + i, NOW.minus(Duration.ofHours(i + 1)),
          Map.of("value", i)));
    }
    drlBase = new KieHelper().addContent(drl(), ResourceType.DRL).build();
    drlEvents = new BEvent[] {new BEvent("t7", 0, "/x", 10, true)};
    plain = new PlainRule[RULES];
    for (int i = 0; i < RULES; i++) {
      plain[i] = new PlainRule("t" + (i % TYPES), i % 7, i % 2 == 0, "T" + (i % 12));
    }
    Evaluation sample = relais();
    System.out.printf("%nlarge: relais %d decisions, %d rules fired; DRL %d fired; plain %d%n",
        sample.decisions().size(),
        sample.trace().stream().filter(Evaluation.TraceEntry::fired).count(), handWrittenDrl(),
        plainJava());
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Evaluation relais() {
    return ruleset.evaluate(contact, Optional.of(event), history, NOW);
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int handWrittenDrl() {
    // Two groups: the generated rules tag (phase-1) or score (phase-2).
    return HandWrittenDrl.evaluate(drlBase, new BContact(), drlEvents, 2, RULES);
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int plainJava() {
    // Snapshot per phase as the language says: segment rules first, then scoring.
    Map<String, Integer> tags = new java.util.HashMap<>();
    int score = 0;
    int fired = 0;
    Object value = event.attributes().get("value");
    double v = value instanceof Number n ? n.doubleValue() : Double.NaN;
    for (PlainRule rule : plain) {
      if (rule.segment() && rule.type().equals(event.type()) && v >= rule.min()) {
        tags.merge(rule.tag(), 1, Integer::sum);
        fired++;
      }
    }
    for (PlainRule rule : plain) {
      if (!rule.segment() && rule.type().equals(event.type()) && v >= rule.min()) {
        score++;
        fired++;
      }
    }
    return fired + score + tags.size();
  }
}
