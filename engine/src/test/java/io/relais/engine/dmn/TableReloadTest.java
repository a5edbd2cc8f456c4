package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.check.Codes;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.Decision;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.registry.InMemoryRulesetStore;
import io.relais.engine.registry.RegistrySettings;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A table's .dmn file is stored with the ruleset's versions and reloaded with its folder. */
class TableReloadTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private final RulesetRegistry registry = new RulesetRegistry(
      new InMemoryRulesetStore(), Clock.fixed(NOW, ZoneOffset.UTC), RegistrySettings.defaults());

  private static final String RULES = """
      attribute contact.industry : text

      table "Fit grid" from "fit-grid.dmn"
        input "Industry" = contact.industry
        input "Employees" = contact.companySize
      end

      scoring "Company fit"
      then
        add decision "Fit points" of "Fit grid" to score
      end
      """;

  /** The fit grid with the points of its row 2 (software or finance, 20 to 199 people). */
  private static String grid(int points) {
    return DecisionTablesTest.fitGrid().replace("<outputEntry id=\"fp_2o\"><text>20</text>",
        "<outputEntry id=\"fp_2o\"><text>" + points + "</text>");
  }

  private static Map<String, String> files(RulesetSources sources) {
    Map<String, String> files = new LinkedHashMap<>();
    sources.sources().forEach(s -> files.put(s.name(), s.text()));
    return files;
  }

  private Object scoreDelta() {
    RulesetVersion active = registry.active("fit").orElseThrow();
    Evaluation result = active.compiled().evaluate(DecisionTablesTest.contact("software", 50),
        Optional.<Event>empty(), List.of(), NOW);
    return result.decisions().stream().map(Decision::json).findFirst().orElseThrow().get("delta");
  }

  @Test
  void aChangedTableIsReloadedWithItsFolderAndOlderVersionsKeepTheirs(@TempDir Path dir)
      throws IOException {
    Path folder = Files.createDirectory(dir.resolve("fit"));
    Files.writeString(folder.resolve("fit.rules"), RULES);
    Files.writeString(folder.resolve("fit-grid.dmn"), grid(20));
    assertThat(registry.put("fit", files(RuleLanguage.load(folder)), true, "rules-dir").version())
        .isPresent();
    assertThat(registry.active("fit").orElseThrow().files()).containsKey("fit-grid.dmn");
    assertThat(scoreDelta()).isEqualTo(20);

    Files.writeString(folder.resolve("fit-grid.dmn"), grid(25));
    assertThat(registry.put("fit", files(RuleLanguage.load(folder)), true, "rules-dir").version())
        .isPresent();
    assertThat(scoreDelta()).isEqualTo(25);

    registry.activate("fit", 1);
    assertThat(scoreDelta()).isEqualTo(20);
  }

  @Test
  void aBrokenTableKeepsTheActiveVersion() {
    registry.put("fit", Map.of("fit.rules", RULES, "fit-grid.dmn", grid(20)), true, "api");

    // Row 3 now overlaps row 2 at 20 people: a UNIQUE table with an overlap is an error.
    String overlapping = grid(20).replace("<inputEntry id=\"fp_3b\"><text>&lt; 20</text>",
        "<inputEntry id=\"fp_3b\"><text>&lt;= 20</text>");
    RulesetRegistry.PutResult put =
        registry.put("fit", Map.of("fit.rules", RULES, "fit-grid.dmn", overlapping), true, "api");

    assertThat(put.version()).isEmpty();
    assertThat(put.diagnostics()).extracting(Diagnostic::code).contains(Codes.DMN_OVERLAP);
    assertThat(put.diagnostics()).filteredOn(d -> d.code().equals(Codes.DMN_OVERLAP))
        .extracting(d -> d.span().file()).containsOnly("fit-grid.dmn");
    assertThat(registry.active("fit")).get().extracting(RulesetVersion::version).isEqualTo(1);
    assertThat(scoreDelta()).isEqualTo(20);
  }

  @Test
  void theCheckerReadsTheSameFileTextOnce() {
    Source file = new Source("fit-grid.dmn", grid(21));

    assertThat(DmnModels.load(file)).isSameAs(DmnModels.load(new Source("fit-grid.dmn", grid(21))));
    assertThat(DmnModels.load(file)).isNotSameAs(DmnModels.load(new Source("fit-grid.dmn", grid(22))));
  }
}
