package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sample rulesets' tables (rules/) decide as their comments say. */
class SampleTablesTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static CompiledRuleset sample(String folder) throws IOException {
    CheckResult checked = RuleLanguage.check(RuleLanguage.load(Path.of("..", "rules", folder)));
    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  private static Event visit(String id, String url, Duration ago) {
    return new Event(id, "page_visit", NOW.minus(ago), Map.of("url", url));
  }

  @Test
  void theAcmeUrlMatrixReadsTheHistoryOfPageVisits() throws IOException {
    CompiledRuleset acme = sample("acme-auto");
    List<Event> history = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      history.add(visit("l" + i, "/financing/leasing/offer-" + i, Duration.ofDays(i + 1)));
    }
    // An SUV page 40 days ago is outside the matrix's 30 days.
    history.add(visit("s0", "/models/suv/x5", Duration.ofDays(40)));
    Event now = visit("e", "/models/suv/x3", Duration.ZERO);

    Evaluation result = acme.evaluate(DecisionTablesTest.contact(null, 5), Optional.of(now),
        history, NOW);

    assertThat(result.decisions()).map(Decision::json)
        .filteredOn(d -> d.get("type").equals("SEGMENT_ADD"))
        .extracting(d -> d.get("segment")).containsExactly("Leasing interest");
    assertThat(result.warnings()).isEmpty();
    assertThat(result.trace()).filteredOn(t -> t.rule().equals("Leasing interest from the URL matrix"))
        .singleElement().satisfies(t -> assertThat(t.why())
            .contains("decision \"Interest\" of \"URL matrix\" = \"leasing\" (row 2)"));
  }

  @Test
  void theB2bFitGridScoresADemoRequestByCompanyFit() throws IOException {
    CompiledRuleset b2b = sample("b2b-qualification");
    Event demo = new Event("e", "form_submit", NOW, Map.of("form", "demo"));

    Evaluation result = b2b.evaluate(DecisionTablesTest.contact("finance", 500), Optional.of(demo),
        List.of(), NOW);

    assertThat(result.decisions()).map(Decision::json)
        .filteredOn(d -> "Company fit".equals(d.get("rule")))
        .extracting(d -> d.get("delta"), d -> d.get("reason"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(30, "company fit"));
  }
}
