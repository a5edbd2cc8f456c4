package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Kogito's analysis of decision tables (gaps, overlaps) takes time and finds gaps that grow
 * fast with a table's size: a 516 KB table of random ranges took 100 s and gave 800,000 gaps.
 * A file whose largest table has more than {@link DmnModels#MAX_ANALYSED_CELLS} cells is not
 * analysed (with a warning), and each kind of diagnostic is reported at most
 * {@link DmnModels#SHOWN_PER_KIND} times per file (docs/language.md, "Decision tables").
 */
class TableAnalysisLimitsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  /** A FIRST (or UNIQUE) table of {@code rows} rows of random ranges over {@code inputs} inputs. */
  static String table(int rows, int inputs, String hitPolicy) {
    Random random = new Random(rows * 31L + inputs);
    StringBuilder columns = new StringBuilder();
    for (int i = 0; i < inputs; i++) {
      columns.append("<input><inputExpression typeRef=\"number\"><text>I</text></inputExpression></input>");
    }
    StringBuilder rules = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      rules.append("<rule>");
      for (int i = 0; i < inputs; i++) {
        int from = random.nextInt(1000);
        rules.append("<inputEntry><text>[").append(from).append("..").append(from + 1 + random.nextInt(50))
            .append(")</text></inputEntry>");
      }
      rules.append("<outputEntry><text>").append(r).append("</text></outputEntry></rule>\n");
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="m" name="M"
            namespace="https://relais.example/dmn/m">
          <inputData id="i" name="I"><variable name="I" typeRef="number"/></inputData>
          <decision id="t" name="T">
            <variable name="T" typeRef="number"/>
            <informationRequirement><requiredInput href="#i"/></informationRequirement>
            <decisionTable id="t_dt" hitPolicy="%s">%s<output/>
        %s    </decisionTable>
          </decision>
        </definitions>
        """.formatted(hitPolicy, columns, rules);
  }

  private static List<Diagnostic> check(String dmn) {
    return assertTimeoutPreemptively(DEADLINE,
        () -> DmnModels.load(new Source("m.dmn", dmn)).model().diagnostics());
  }

  @Test
  void aLargeTableIsNotAnalysedAndSaysSo() {
    // Overlapping rows under UNIQUE: errors, were the table analysed.
    String dmn = table(501, 2, "UNIQUE");

    List<Diagnostic> diagnostics = check(dmn);

    assertThat(diagnostics).extracting(Diagnostic::code, d -> d.span().position(), Diagnostic::isError)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Codes.DMN_WARNING,
            DmnRefusalsTest.at(dmn, "<decisionTable"), false));
    assertThat(diagnostics.get(0).message()).startsWith("this table has 501 rows of 2 inputs,"
        + " more than the 1,000 cells Relais analyses");
  }

  @Test
  void eachKindOfDiagnosticIsShownAHundredTimesAtMost() {
    List<Diagnostic> diagnostics = check(table(90, 3, "FIRST"));

    assertThat(diagnostics).filteredOn(d -> d.code().equals(Codes.DMN_GAP))
        .hasSize(DmnModels.SHOWN_PER_KIND + 1)
        .last().satisfies(d -> assertThat(d.message()).matches("\\d+ more like the above, not shown"));
  }
}
