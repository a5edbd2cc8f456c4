package io.relais.bench;

import io.relais.bench.drl.BContact;
import io.relais.bench.drl.BEvent;
import io.relais.bench.drl.HandWrittenDrl;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Stage;
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
 * One decision for one contact with 50 history events against a 50-rule ruleset of all six
 * kinds: the request a page visit makes. {@code relais} is the product path (compiled rules on
 * Drools, with decisions and a trace); {@code handWrittenDrl} is the same rules as a Drools
 * developer would write them in DRL (no decisions, no trace); {@code plainJava} is the same
 * rules hand-coded with the same decisions (no trace), the floor no engine can beat.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DecisionBenchmark {

  public static final int RULES = 50;
  public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  CompiledRuleset ruleset;
  Contact contact;
  Event event;
  List<Event> history;
  KieBase drlBase;
  BEvent[] drlEvents;

  /** The benchmark's ruleset: ten rules of each of five kinds plus loyalty, realistic conditions. */
  static String rules() {
    StringBuilder text = new StringBuilder("timezone \"Europe/Paris\"\ndefault owner \"sales@acme.fr\"\n");
    for (int i = 0; i < RULES; i++) {
      switch (i % 6) {
        case 0 -> text.append("segment \"Section ").append(i).append("\"\nwhen event is page_visit and event.url matches \"/section-")
            .append(i % 12).append("/**\"\nthen tag \"T").append(i % 12).append("\"\nend\n");
        case 1 -> text.append("scoring \"Visits ").append(i).append("\"\nwhen event is page_visit and count(page_visit within 30 days) >= ")
            .append(i % 7).append("\nthen add 1 to score\nend\n");
        case 2 -> text.append("qualify \"Qualify ").append(i).append("\"\nwhen contact.score >= ").append(i)
            .append(" and tag \"T").append(i % 12).append("\" >= 1\nthen advance stage to MQL\nend\n");
        case 3 -> text.append("nurture \"Nurture ").append(i).append("\"\nwhen has tag \"T").append(i % 12)
            .append("\" and contact.stage < SQL\nthen send \"message-").append(i).append("\"\nend\n");
        case 4 -> text.append("loyalty \"Loyalty ").append(i).append("\"\nwhen event is page_visit and sum(purchase.amount within 365 days) > ")
            .append(i * 10).append("\nthen award 1 points expiring in 30 days\nend\n");
        default -> text.append("alert \"Alert ").append(i).append("\"\nwhen contact.stage >= MQL and event is page_visit and days since last purchase < ")
            .append(i).append("\nthen notify owner with \"{{contact.firstName|Someone}} is on {{event.url}}\" at most once per 1 day\nend\n");
      }
    }
    return text.toString();
  }

  static List<Event> history() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Instant at = NOW.minus(Duration.ofHours(7L * i + 1));
      events.add(i % 5 == 0
          ? new Event("h" + i, "purchase", at, Map.of("amount", 40 + i))
          : new Event("h" + i, "page_visit", at, Map.of("url", "/section-" + (i % 12) + "/page")));
    }
    return events;
  }

  @Setup
  public void setUp() {
    CheckResult checked = RuleLanguage.check("bench", List.of(new Source("bench.rules", rules())));
    if (checked.ruleset().isEmpty()) {
      throw new IllegalStateException("benchmark ruleset has errors: " + checked.diagnostics());
    }
    ruleset = CompiledRuleset.compile(checked.ruleset().get(), 1);
    contact = Contact.builder().id("c-1").email("jean@example.fr").firstName("Jean").score(30)
        .stage(Stage.LEAD).tags(Map.of("T3", 2)).consent(new Contact.Consent(true, null)).build();
    event = new Event("e", "page_visit", NOW, Map.of("url", "/section-3/offers"));
    history = history();
    drlBase = HandWrittenDrl.build();
    List<BEvent> beans = new ArrayList<>();
    beans.add(new BEvent("page_visit", 0, "/section-3/offers", 0, true));
    for (Event e : history) {
      long hours = Duration.between(e.at(), NOW).toHours();
      beans.add(e.type().equals("purchase")
          ? new BEvent("purchase", hours, null, ((Number) e.attributes().get("amount")).doubleValue(), false)
          : new BEvent("page_visit", hours, (String) e.attributes().get("url"), 0, false));
    }
    drlEvents = beans.toArray(BEvent[]::new);
    // The three variants must do comparable work: print what each decides once.
    Evaluation sample = relais();
    System.out.printf("%nrelais: %d decisions, %d rules fired; hand-written DRL: %d rules fired%n",
        sample.decisions().size(), sample.trace().stream().filter(Evaluation.TraceEntry::fired).count(),
        handWrittenDrl());
    List<String> relaisDecided = sample.decisions().stream()
        .map(d -> d.type() + " " + d.rule()).toList();
    List<String> plainDecided = plainJava().stream().map(d -> d.type() + " " + d.rule()).toList();
    System.out.printf("relais decides %s%nplain Java decides %s%n", relaisDecided, plainDecided);
    if (!relaisDecided.equals(plainDecided)) {
      throw new IllegalStateException("plain Java and Relais do not make the same decisions");
    }
  }

  @Benchmark
  @BenchmarkMode({Mode.Throughput})
  @OutputTimeUnit(TimeUnit.SECONDS)
  public Evaluation relais() {
    return ruleset.evaluate(contact, Optional.of(event), history, NOW);
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Evaluation relaisLatency() {
    return ruleset.evaluate(contact, Optional.of(event), history, NOW);
  }

  @Benchmark
  @BenchmarkMode({Mode.Throughput})
  @OutputTimeUnit(TimeUnit.SECONDS)
  public int handWrittenDrl() {
    // The DRL rules modify their facts: every evaluation starts from a fresh contact bean.
    BContact fresh = new BContact();
    fresh.setScore(30);
    fresh.setStage(1);
    fresh.getTags().put("T3", 2);
    fresh.setFirstName("Jean");
    return HandWrittenDrl.evaluate(drlBase, fresh, drlEvents);
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int handWrittenDrlLatency() {
    return handWrittenDrl();
  }

  @Benchmark
  @BenchmarkMode({Mode.Throughput})
  @OutputTimeUnit(TimeUnit.SECONDS)
  public List<PlainJavaRules.Decided> plainJava() {
    return PlainJavaRules.evaluate(contact, event, history, NOW);
  }

  @Benchmark
  @BenchmarkMode({Mode.SampleTime})
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public List<PlainJavaRules.Decided> plainJavaLatency() {
    return plainJava();
  }
}
