package io.relais.engine.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * "Valid means runs" as a property: thousands of generated rulesets (every construct, long
 * chains, deep nesting, huge and odd literals) and contacts and events with random and wrongly
 * typed values go through parse, check, compile and evaluate. Nothing may throw, and every
 * ruleset the checker accepts must evaluate. The seed is fixed, so a failure replays.
 */
class PipelineFuzzTest {

  private static final long SEED = 20261128L;
  private static final int RULESETS = 500;
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  void everyAcceptedRulesetCompilesAndEvaluatesOnAnyData() {
    Random random = new Random(SEED);
    int accepted = 0;
    int evaluations = 0;
    Map<String, Integer> refused = new java.util.TreeMap<>();
    for (int i = 0; i < RULESETS; i++) {
      String text = new RulesetGenerator(random).ruleset();
      CheckResult checked;
      try {
        checked = RuleLanguage.check("fuzz", List.of(new Source("fuzz.rules", text)));
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("check threw on ruleset #" + i + ":\n" + text, e);
      }
      if (checked.ruleset().isEmpty()) {
        checked.errors().forEach(d -> {
          if (refused.merge(d.code(), 1, Integer::sum) == 1) {
            System.out.println("first " + d.code() + ": " + d.render());
          }
        });
        continue;
      }
      accepted++;
      CompiledRuleset compiled;
      try {
        compiled = CompiledRuleset.compile(checked.ruleset().get(), 1);
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("compile threw on accepted ruleset #" + i + ":\n" + text, e);
      }
      for (int j = 0; j < 3; j++) {
        DataGenerator data = new DataGenerator(random);
        Contact contact = data.contact();
        Optional<Event> event = data.event();
        List<Event> history = data.history();
        try {
          Evaluation e = compiled.evaluate(contact, event, history, NOW);
          assertThat(e.trace()).hasSize(checked.ruleset().get().rules().size());
          e.decisions().forEach(d -> d.json());
          evaluations++;
        } catch (RuntimeException | StackOverflowError e) {
          throw new AssertionError("evaluate threw on accepted ruleset #" + i + " for "
              + contact + " / " + event + " / " + history + ":\n" + text, e);
        }
      }
    }
    System.out.printf("pipeline fuzz: %d rulesets, %d accepted, %d evaluations; refused: %s%n",
        RULESETS, accepted, evaluations, refused);
    // The generator writes well-typed rules; most must pass the checker for the property to
    // say anything about the compiler and the engine.
    assertThat(accepted).isGreaterThan(RULESETS / 2);
  }

  /** Contacts and events as JSON would bring them: random values, often of the wrong type. */
  static final class DataGenerator {
    private static final String[] TYPES = {"page_visit", "email_open", "email_click",
        "form_submit", "purchase", "cart_update", "checkout", "webinar", "daily", "unknown"};
    private static final String[] ATTRIBUTES = {"url", "title", "seconds", "campaign",
        "message", "form", "amount", "currency", "items", "value", "minutes", "order"};
    private final Random random;

    DataGenerator(Random random) {
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

    Contact contact() {
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
      Instant at = NOW.plusSeconds((random.nextInt(2 * 86_400 * 400) - 86_400 * 400L));
      return new Event(random.nextInt(4) == 0 ? null : "e-" + random.nextInt(20),
          TYPES[random.nextInt(TYPES.length)], at, attributes);
    }

    Optional<Event> event() {
      return random.nextInt(4) == 0 ? Optional.empty() : Optional.of(oneEvent());
    }

    List<Event> history() {
      List<Event> events = new ArrayList<>();
      int n = random.nextInt(8);
      for (int i = 0; i < n; i++) {
        events.add(oneEvent());
      }
      return events;
    }
  }
}
