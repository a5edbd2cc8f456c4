package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.source.Source;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The results a table keeps across evaluations, by input values: bounded. */
class TableEvaluatorTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static CheckedRuleset.Table fitGrid() {
    CheckResult checked = RuleLanguage.check("test", List.of(
        new Source("fit-grid.dmn", DecisionTablesTest.fitGrid()),
        new Source("test.rules", """
            attribute contact.industry : text

            table "Fit grid" from "fit-grid.dmn"
              input "Industry" = contact.industry
              input "Employees" = contact.companySize
            end
            """)));
    return checked.ruleset().orElseThrow().table("Fit grid").orElseThrow();
  }

  // A fresh phase each time: the per-phase memo never answers, only what the table keeps.
  private static ContactFacts phase() {
    return new ContactFacts(Contact.withId("c-1"), Optional.empty(), List.of(), NOW, ZoneOffset.UTC);
  }

  @Test
  void keptResultsAreBoundedAndStartOverWhenFull() {
    AtomicInteger employees = new AtomicInteger();
    Map<String, ValueFunction> inputs = new LinkedHashMap<>();
    inputs.put("Industry", (f, c) -> "software");
    inputs.put("Employees", (f, c) -> BigDecimal.valueOf(employees.get()));
    TableEvaluator table = new TableEvaluator(fitGrid(), inputs, 3);

    for (int n = 1; n <= 3; n++) {
      employees.set(n * 10);
      table.result(phase());
    }
    assertThat(table.known()).isEqualTo(3);
    employees.set(10);
    TableEvaluator.Result kept = table.result(phase());
    assertThat(table.known()).isEqualTo(3); // met before: nothing added
    employees.set(40);
    table.result(phase());
    assertThat(table.known()).isEqualTo(1); // full: started over with the new one
    employees.set(10);
    assertThat(table.result(phase())).isEqualTo(kept); // computed again, the same result
  }
}
