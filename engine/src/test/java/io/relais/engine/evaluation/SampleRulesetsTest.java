package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The sample rulesets of rules/ are compiled and evaluated, not only checked. */
class SampleRulesetsTest {

  private static final Path RULES = Path.of("..", "rules");
  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  static Stream<Path> samples() throws IOException {
    try (Stream<Path> list = Files.list(RULES)) {
      return list.filter(Files::isDirectory)
          .filter(p -> !p.getFileName().toString().equals("src")
              && !p.getFileName().toString().equals("target"))
          .sorted().toList().stream();
    }
  }

  static CompiledRuleset compile(Path folder) throws IOException {
    CheckResult checked = RuleLanguage.check(RuleLanguage.load(folder));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  private static Contact customer() {
    return Contact.fromJson(Map.of("id", "c-1", "firstName", "Jean", "owner", "marc@acme.fr",
        "score", 120, "stage", "MQL", "birthDate", "1990-11-22", "companySize", 80,
        "tags", Map.of("FINANCING_LEASING", 2), "consent", Map.of("email", true)));
  }

  private static List<Event> history() {
    return List.of(
        new Event("h-1", "purchase", NOW.minus(Duration.ofDays(40)), Map.of("amount", 700)),
        new Event("h-2", "purchase", NOW.minus(Duration.ofDays(100)), Map.of("amount", "450")),
        new Event("h-3", "page_visit", NOW.minus(Duration.ofDays(1)),
            Map.of("url", "/financing/leasing/offers")));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void compilesAndEvaluatesEveryKindOfEvent(Path folder) throws IOException {
    CompiledRuleset rules = compile(folder);
    List<Event> triggers = List.of(
        new Event("e-1", "page_visit", NOW, Map.of("url", "/financing/leasing/offers",
            "seconds", 40)),
        new Event("e-2", "purchase", NOW, Map.of("amount", "1200.50", "items", 3)),
        new Event("e-3", "cart_update", NOW, Map.of("value", 80, "items", 2)),
        new Event("e-4", "email_open", NOW, Map.of("campaign", "x")),
        new Event("e-5", "form_submit", NOW, Map.of("form", "demo")),
        new Event("e-6", "daily", NOW, Map.of()));
    for (Event event : triggers) {
      Evaluation e = rules.evaluate(customer(), Optional.of(event), history(), NOW);
      assertThat(e.trace()).hasSize(rules.checked().rules().size());
      assertThat(e.warnings()).noneMatch(w -> w.contains("could not be evaluated"));
    }
    Evaluation none = rules.evaluate(Contact.withId("c-2"), Optional.empty(), List.of(), NOW);
    assertThat(none.warnings()).noneMatch(w -> w.contains("could not be evaluated"));
  }

  @Test
  void ecommerceEngagementNoLongerExitsAndReEnrollsOnTheSameEvent() throws IOException {
    CompiledRuleset rules = compile(RULES.resolve("ecommerce-engagement"));
    Contact enrolled = Contact.fromJson(Map.of("id", "c-1", "consent", Map.of("email", true),
        "enrollments", List.of(Map.of("campaign", "cart-recovery", "active", true,
            "enrolledAt", "2026-11-10T00:00:00Z"))));
    Event cart = new Event("e-1", "cart_update", NOW, Map.of("value", 30, "items", 1));
    List<Event> history = List.of(
        new Event("p-1", "purchase", NOW.minus(Duration.ofDays(2)), Map.of("amount", 20)));
    Evaluation e = rules.evaluate(enrolled, Optional.of(cart), history, NOW);
    assertThat(e.decisions()).extracting(d -> d.json().get("type")).containsExactly("EXIT");
  }
}
