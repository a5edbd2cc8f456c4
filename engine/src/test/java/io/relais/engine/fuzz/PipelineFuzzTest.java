package io.relais.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * "Valid means runs" as a property: thousands of generated rulesets (every construct, DMN
 * tables included; long chains, deep nesting, huge and odd literals, the longest durations)
 * and contacts and events with random and wrongly typed values, now and then at the ends of
 * the calendar, go through parse, check, compile and evaluate. Nothing may throw, and every
 * ruleset the checker accepts must evaluate. Small rulesets dominate so that the run stays
 * short; ten more put each construct at its limit. The seed is fixed, so a failure replays.
 */
public class PipelineFuzzTest {

  private static final long SEED = 20261128L;
  /** Generated rulesets: small ones mostly, one in ten mixed (deeper, sometimes extreme). */
  private static final int RULESETS = 2_000;
  private static final int EVALUATIONS_PER_RULESET = 3;
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  /** Now and then the evaluation runs at the ends of the calendar: windows must not overflow. */
  private static final List<Instant> ODD_NOWS = List.of(
      Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z"));

  /** The decision table a generated ruleset reads when {@code readsTable()}. */
  public static final Source FIT_GRID = fitGrid();

  private static Source fitGrid() {
    try {
      return new Source("fit-grid.dmn", Files.readString(
          Path.of("..", "rules", "b2b-qualification", "fit-grid.dmn")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the run saw, for the closing line and the assertions on coverage. */
  private static final class Tally {
    int rulesets;
    int accepted;
    int withTables;
    int evaluations;
    final Map<String, Integer> refused = new TreeMap<>();
  }

  @Test
  void everyAcceptedRulesetCompilesAndEvaluatesOnAnyData() {
    Random random = new Random(SEED);
    Tally tally = new Tally();
    for (int i = 0; i < RULESETS; i++) {
      RulesetGenerator.Shape shape =
          i % 10 == 9 ? RulesetGenerator.Shape.MIXED : RulesetGenerator.Shape.SMALL;
      RulesetGenerator generator = new RulesetGenerator(random, shape);
      String text = generator.ruleset();
      run("#" + i, text, generator.readsTable(), random, tally);
    }
    // The generator writes well-typed rules; most must pass the checker for the property to
    // say anything about the compiler and the engine.
    assertThat(tally.accepted).isGreaterThan(RULESETS * 9 / 10);
    assertThat(tally.withTables).isPositive();
    System.out.printf("pipeline fuzz: %d rulesets, %d accepted (%d with a DMN table), %d"
        + " evaluations; refused: %s%n", tally.rulesets, tally.accepted, tally.withTables,
        tally.evaluations, tally.refused);
  }

  @Test
  void everyConstructAtItsLimitChecksCompilesAndEvaluates() {
    Random random = new Random(SEED + 1);
    Tally tally = new Tally();
    for (int i = 0; i < RulesetGenerator.EXTREMES; i++) {
      RulesetGenerator generator = new RulesetGenerator(random, RulesetGenerator.Shape.MIXED);
      String text = generator.extreme(i);
      run("extreme #" + i, text, generator.readsTable(), random, tally);
    }
    assertThat(tally.refused).isEmpty();
    assertThat(tally.accepted).isEqualTo(RulesetGenerator.EXTREMES);
  }

  /** Parse, check, compile, evaluate: nothing may throw, and an accepted ruleset evaluates. */
  private static void run(String which, String text, boolean table, Random random, Tally tally) {
    tally.rulesets++;
    List<Source> sources = table
        ? List.of(new Source("fuzz.rules", text), FIT_GRID)
        : List.of(new Source("fuzz.rules", text));
    CheckResult checked;
    try {
      checked = RuleLanguage.check("fuzz", sources);
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("check threw on ruleset " + which + ":\n" + text, e);
    }
    if (checked.ruleset().isEmpty()) {
      checked.errors().forEach(d -> {
        if (tally.refused.merge(d.code(), 1, Integer::sum) == 1) {
          System.out.println("first " + d.code() + ": " + d.render());
        }
      });
      return;
    }
    tally.accepted++;
    if (table) {
      tally.withTables++;
    }
    CompiledRuleset compiled;
    try {
      compiled = CompiledRuleset.compile(checked.ruleset().get(), 1);
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError("compile threw on accepted ruleset " + which + ":\n" + text, e);
    }
    for (int j = 0; j < EVALUATIONS_PER_RULESET; j++) {
      DataGenerator data = new DataGenerator(random);
      Contact contact = data.contact();
      Optional<Event> event = data.event();
      List<Event> history = data.history();
      Instant now = random.nextInt(20) == 0 ? ODD_NOWS.get(random.nextInt(ODD_NOWS.size())) : NOW;
      try {
        Evaluation e = compiled.evaluate(contact, event, history, now);
        assertThat(e.trace()).hasSize(checked.ruleset().get().rules().size());
        e.trace().forEach(Evaluation.TraceEntry::why);
        e.decisions().forEach(d -> d.json());
        tally.evaluations++;
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("evaluate threw on accepted ruleset " + which + " at " + now
            + " for " + contact + " / " + event + " / " + history + ":\n" + text, e);
      }
    }
  }

  /** Contacts and events as JSON would bring them: random values, often of the wrong type. */
  public static final class DataGenerator {
    private static final String[] TYPES = {"page_visit", "email_open", "email_click",
        "form_submit", "purchase", "cart_update", "checkout", "webinar", "daily", "unknown"};
    private static final String[] ATTRIBUTES = {"url", "title", "seconds", "campaign",
        "message", "form", "amount", "currency", "items", "value", "minutes", "order"};
    private final Random random;

    public DataGenerator(Random random) {
      this.random = random;
    }

    Object anyValue() {
      return switch (random.nextInt(16)) {
        case 0 -> null;
        case 1 -> random.nextInt(2000) - 1000;
        case 2 -> random.nextDouble() * 1e6;
        case 3 -> String.valueOf(random.nextInt(500));
        case 4 -> "12.50";
        case 5 -> "abc";
        case 6 -> random.nextBoolean();
        case 7 -> "2026-11-" + (10 + random.nextInt(18));
        case 8 -> "2026-11-20T10:00:00Z";
        case 9 -> List.of(1, "a");
        case 10 -> Map.of("nested", 1);
        case 11 -> "/financing/leasing/" + "a/".repeat(random.nextInt(5)) + "x";
        case 12 -> "1e999999999";
        case 13 -> Long.MAX_VALUE;
        case 14 -> "";
        default -> "\u00e9\"\\{{x}}" + random.nextInt(10);
      };
    }

    public Contact contact() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("id", random.nextInt(3) == 0 ? anyValue() : "c-" + random.nextInt(100));
      for (String field : List.of("email", "firstName", "lastName", "company", "city",
          "country", "owner", "companySize", "birthDate", "createdAt", "lastActivityAt",
          "score", "stage", "tier")) {
        if (random.nextBoolean()) {
          json.put(field, field.equals("stage") && random.nextBoolean()
              ? List.of("SUBSCRIBER", "LEAD", "MQL", "SQL", "CUSTOMER", "DISQUALIFIED")
                  .get(random.nextInt(6))
              : anyValue());
        }
      }
      if (random.nextBoolean()) {
        json.put("tags", Map.of("VIP", anyValue() == null ? 1 : random.nextInt(5),
            "X", String.valueOf(random.nextInt(3))));
      }
      if (random.nextBoolean()) {
        json.put("segments", random.nextBoolean() ? List.of("VIP", "S1") : anyValue());
      }
      if (random.nextBoolean()) {
        json.put("consent", Map.of("email", random.nextBoolean() ? true : "yes"));
      }
      if (random.nextBoolean()) {
        json.put("ledger", List.of(Map.of("points", random.nextInt(3000),
            "earnedAt", "2026-01-01T00:00:00Z", "expiresAt", "2026-12-01T00:00:00Z",
            "rule", "r0")));
      }
      if (random.nextBoolean()) {
        json.put("enrollments", List.of(Map.of("campaign", "c0", "active", random.nextBoolean(),
            "enrolledAt", "2026-11-01T00:00:00Z")));
      }
      if (random.nextBoolean()) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (String a : List.of("industry", "budget", "vip", "renewal", "seen")) {
          if (random.nextBoolean()) {
            attributes.put(a, anyValue());
          }
        }
        json.put("attributes", attributes);
      }
      return Contact.fromJson(json);
    }

    Event oneEvent() {
      Map<String, Object> attributes = new LinkedHashMap<>();
      int n = random.nextInt(5);
      for (int i = 0; i < n; i++) {
        Object v = anyValue();
        if (v != null) {
          attributes.put(ATTRIBUTES[random.nextInt(ATTRIBUTES.length)], v);
        }
      }
      Instant at = random.nextInt(30) == 0
          ? ODD_NOWS.get(random.nextInt(ODD_NOWS.size()))
          : NOW.plusSeconds((random.nextInt(2 * 86_400 * 400) - 86_400 * 400L));
      return new Event(random.nextInt(4) == 0 ? null : "e-" + random.nextInt(20),
          TYPES[random.nextInt(TYPES.length)], at, attributes);
    }

    public Optional<Event> event() {
      return random.nextInt(4) == 0 ? Optional.empty() : Optional.of(oneEvent());
    }

    public List<Event> history() {
      List<Event> events = new ArrayList<>();
      int n = random.nextInt(8);
      for (int i = 0; i < n; i++) {
        events.add(oneEvent());
      }
      return events;
    }
  }
}
