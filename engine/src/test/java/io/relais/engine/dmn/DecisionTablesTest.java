package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kie.dmn.api.core.event.BeforeEvaluateAllEvent;
import org.kie.dmn.api.core.event.DMNRuntimeEventListener;

/** Decision tables read by rules (docs/language.md ("Decision tables")), evaluated by Kogito. */
class DecisionTablesTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  static String fitGrid() {
    try {
      return Files.readString(Path.of("src/test/resources/dmn/fit-grid.dmn"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final String TABLE = """
      attribute contact.industry : text

      table "Fit grid" from "fit-grid.dmn"
        input "Industry" = contact.industry
        input "Employees" = contact.companySize
      end
      """;

  static CompiledRuleset compile(String rules, String dmn) {
    CheckResult checked = RuleLanguage.check("test",
        List.of(new Source("fit-grid.dmn", dmn), new Source("test.rules", rules)));
    assertThat(checked.diagnostics()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  static Contact contact(String industry, Integer employees) {
    return Contact.builder().id("c-1").email("c@example.com").firstName("Chloé")
        .owner("owner@example.com").companySize(employees)
        .attributes(industry == null ? Map.of() : Map.of("industry", industry))
        .consent(new Contact.Consent(true, null)).build();
  }

  private static Evaluation run(CompiledRuleset rules, Contact contact) {
    return rules.evaluate(contact, Optional.of(new Event("e-1", "form_submit", NOW,
        Map.of("form", "demo"))), List.of(), NOW);
  }

  private static List<Map<String, Object>> json(Evaluation evaluation) {
    return evaluation.decisions().stream().map(Decision::json).toList();
  }

  @Test
  void aDecisionIsReadInAConditionAnActionAndATemplate() {
    CompiledRuleset rules = compile(TABLE + """

        scoring "Company fit"
        when
          decision "Grade" of "Fit grid" in ["A", "B"]
        then
          add decision "Fit points" of "Fit grid" to score because "company fit"
        end

        loyalty "Fit bonus"
        when
          decision "Fit points" of "Fit grid" >= 20
        then
          award decision "Fit points" of "Fit grid" * 2 points
        end

        alert "Fit"
        when
          decision "Grade" of "Fit grid" = "A"
        then
          notify owner with "Grade {{decision 'Grade' of 'Fit grid'}}, {{decision 'Fit points' of 'Fit grid'|no}} points"
        end
        """, fitGrid());

    Evaluation result = run(rules, contact("software", 50));

    assertThat(json(result)).extracting(d -> d.get("type") + " " + d.get("delta"))
        .containsExactly("SCORE 20", "POINTS 40", "ALERT null");
    assertThat(json(result).get(2)).containsEntry("message", "Grade A, 20 points");
    assertThat(result.warnings()).isEmpty();
  }

  @Test
  void theTraceShowsTheDecisionsValueAndTheRowsThatMatched() {
    CompiledRuleset rules = compile(TABLE + """

        scoring "Company fit"
        when
          decision "Grade" of "Fit grid" = "A"
        then
          add decision "Fit points" of "Fit grid" to score
        end
        """, fitGrid());

    Evaluation result = run(rules, contact("finance", 500));

    assertThat(result.trace()).singleElement().satisfies(t -> {
      assertThat(t.fired()).isTrue();
      assertThat(t.why()).contains("decision \"Grade\" of \"Fit grid\" = \"A\" (row 1)")
          .contains("decision \"Fit points\" of \"Fit grid\" = 30 (row 1)");
    });
  }

  @Test
  void anEmptyInputReachesDmnAsNullAndNoRowMatching() {
    CompiledRuleset rules = compile(TABLE + """

        scoring "Company fit"
        when
          decision "Grade" of "Fit grid" is empty
        then
          add 1 to score
        end
        """, fitGrid());

    Evaluation result = run(rules, contact("software", null));

    assertThat(json(result)).extracting(d -> d.get("type")).containsExactly("SCORE");
    assertThat(result.trace().get(0).why()).contains("(no row matched)");
  }

  private static final String READ_IN_TWO_PHASES = """

        segment "Reads nothing"
        then
          tag "SEEN"
        end

        scoring "First"
        when
          decision "Grade" of "Fit grid" = "A"
        then
          add 1 to score
        end

        scoring "Second"
        when
          decision "Fit points" of "Fit grid" > 0
        then
          add decision "Fit points" of "Fit grid" to score
        end

        alert "Third"
        when
          decision "Grade" of "Fit grid" = "A"
        then
          notify owner with "{{decision 'Grade' of 'Fit grid'}}"
        end
        """;

  // Counts the evaluations of a model; its text must be the test's own (runtimes are shared by text).
  private static AtomicInteger evaluationsOf(String dmn) {
    AtomicInteger evaluations = new AtomicInteger();
    DmnModels.load(new Source("fit-grid.dmn", dmn)).runtime().addListener(
        new DMNRuntimeEventListener() {
          @Override
          public void beforeEvaluateAll(BeforeEvaluateAllEvent event) {
            evaluations.incrementAndGet();
          }
        });
    return evaluations;
  }

  /**
   * A model is a function of its inputs: evaluated once per input values, whatever the phase or
   * the evaluation, and only when a rule reads it; the reused result decides the same.
   */
  @Test
  void aTableIsEvaluatedOncePerInputValuesAndOnlyWhenRead() {
    String dmn = fitGrid().replace("<definitions", "<!-- once per inputs -->\n<definitions");
    CompiledRuleset rules = compile(TABLE + READ_IN_TWO_PHASES, dmn);
    AtomicInteger evaluations = evaluationsOf(dmn);

    Evaluation first = run(rules, contact("software", 50));
    // scoring and alert read it with the same inputs; segment does not read it.
    assertThat(evaluations).hasValue(1);
    Evaluation again = run(rules, contact("software", 50));
    assertThat(evaluations).hasValue(1);
    assertThat(json(again)).isEqualTo(json(first));
    assertThat(again.trace()).isEqualTo(first.trace());
    run(rules, contact("software", 500));
    assertThat(evaluations).hasValue(2);
  }

  /** A model that reads the clock is not a function of its inputs: evaluated at every read. */
  @Test
  void aTableThatReadsTheClockIsEvaluatedEveryTime() {
    String dmn = fitGrid().replace("</definitions>", """
          <decision id="day" name="Day">
            <variable name="Day" typeRef="date"/>
            <literalExpression id="day_le"><text>today()</text></literalExpression>
          </decision>
        </definitions>""");
    CompiledRuleset rules = compile(TABLE + READ_IN_TWO_PHASES, dmn);
    AtomicInteger evaluations = evaluationsOf(dmn);

    run(rules, contact("software", 50));
    run(rules, contact("software", 50));

    assertThat(evaluations).hasValue(4); // two phases read it, twice
  }

  @Test
  void aDmnErrorReadsAsEmptyAndIsNamedInTheWarnings() {
    String dmn = fitGrid().replace("</definitions>", """
          <decision id="initial" name="Initial">
            <variable name="Initial" typeRef="string"/>
            <informationRequirement id="in_r1"><requiredInput href="#employees"/></informationRequirement>
            <literalExpression id="in_le"><text>substring("abc", Employees)</text></literalExpression>
          </decision>
        </definitions>""");
    CompiledRuleset rules = compile(TABLE + """

        scoring "Initial"
        when
          decision "Initial" of "Fit grid" is empty
        then
          add 1 to score
        end

        scoring "Grade still works"
        when
          decision "Grade" of "Fit grid" = "A"
        then
          add 10 to score
        end
        """, dmn);

    Evaluation result = run(rules, contact("software", 50));
    Evaluation reused = run(rules, contact("software", 50)); // the kept result warns alike

    for (Evaluation e : List.of(result, reused)) {
      assertThat(json(e)).extracting(d -> d.get("delta")).containsExactly(1, 10);
      assertThat(e.warnings()).singleElement().asString()
          .startsWith("fit-grid.dmn: table \"Fit grid\": decision \"Initial\" failed")
          .endsWith("read as empty");
    }
  }
}
