package io.relais.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample ruleset under this module's folder is valid rule text. */
class SampleRulesetsTest {

  static List<Path> rulesets() throws IOException {
    try (Stream<Path> folders = Files.list(Path.of("."))) {
      List<Path> found =
          folders
              .filter(Files::isDirectory)
              .filter(SampleRulesetsTest::hasRules)
              .sorted()
              .toList();
      assertThat(found).as("sample ruleset folders").hasSizeGreaterThanOrEqualTo(4);
      return found;
    }
  }

  private static boolean hasRules(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.anyMatch(f -> f.toString().endsWith(".rules"));
    } catch (IOException e) {
      return false;
    }
  }

  @ParameterizedTest
  @MethodSource("rulesets")
  void parsesWithoutDiagnostics(Path ruleset) throws IOException {
    try (Stream<Path> files = Files.list(ruleset)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".rules")).sorted().toList()) {
        Source source =
            new Source(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        ParseResult result = RulesParser.parse(source);

        assertThat(result.diagnostics()).extracting(Diagnostic::render).as(file.toString()).isEmpty();
        assertThat(result.file().items()).as(file.toString()).isNotEmpty();
      }
    }
  }
}
