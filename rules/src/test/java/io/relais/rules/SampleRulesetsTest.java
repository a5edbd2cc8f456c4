package io.relais.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample ruleset under this module's folder is valid and in canonical layout. */
class SampleRulesetsTest {

  static List<Path> rulesets() throws IOException {
    try (Stream<Path> folders = Files.list(Path.of("."))) {
      List<Path> found =
          folders.filter(Files::isDirectory).filter(SampleRulesetsTest::hasRules).sorted().toList();
      assertThat(found).as("sample ruleset folders").hasSizeGreaterThanOrEqualTo(4);
      return found;
    }
  }

  private static boolean hasRules(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(f -> f.toString().endsWith(RuleLanguage.EXTENSION));
    } catch (IOException e) {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("rulesets")
  void checksWithoutErrorsOrWarnings(Path folder) throws IOException {
    RulesetSources ruleset = RuleLanguage.load(folder);
    CheckResult result = RuleLanguage.check(ruleset);

    assertThat(result.diagnostics()).extracting(Diagnostic::render).isEmpty();
    assertThat(result.ruleset()).isPresent();
  }

  @ParameterizedTest
  @MethodSource("rulesets")
  void isInCanonicalLayout(Path folder) throws IOException {
    for (Source source : RuleLanguage.load(folder).sources()) {
      if (RuleLanguage.isDmn(source.name())) {
        continue; // DMN files are XML from a DMN editor, not rule text
      }
      String formatted = Formatter.format(RulesParser.parse(source).file());

      assertThat(source.text()).as("%s/%s (run ./relais format rules/)", folder, source.name())
          .isEqualTo(formatted);
    }
  }
}
