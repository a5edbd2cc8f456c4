package io.relais.dsl.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.parser.ParseResult;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import io.relais.dsl.testing.Golden;
import io.relais.dsl.testing.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FormatterTest {

  static List<Path> goldenInputs() {
    return Golden.inputs(Golden.folder("format"), ".rules");
  }

  /** Every .rules file of every golden folder that parses cleanly. */
  static List<Path> allValidInputs() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src", "test", "resources", "golden"))) {
      List<Path> valid =
          files
              .filter(p -> p.toString().endsWith(".rules"))
              .sorted()
              .filter(p -> !parse(p).hasErrors())
              .toList();
      assertThat(valid).hasSizeGreaterThan(10);
      return valid;
    }
  }

  private static ParseResult parse(Path file) {
    return RulesParser.parse(new Source(file.getFileName().toString(), Golden.read(file)));
  }

  private static ParseResult parse(String name, String text) {
    return RulesParser.parse(new Source(name, text));
  }

  @ParameterizedTest
  @MethodSource("goldenInputs")
  void formatsAsTheGoldenFileSays(Path input) {
    ParseResult parsed = parse(input);
    assertThat(parsed.diagnostics()).as("golden format inputs must parse").isEmpty();

    Golden.assertMatches(Golden.sibling(input, ".formatted"), Formatter.format(parsed.file()));
  }

  @ParameterizedTest
  @MethodSource("allValidInputs")
  void isIdempotent(Path input) {
    String once = Formatter.format(parse(input).file());
    ParseResult reparsed = parse(input.getFileName().toString(), once);

    assertThat(reparsed.diagnostics()).as("formatted text must parse:\n%s", once).isEmpty();
    assertThat(Formatter.format(reparsed.file())).isEqualTo(once);
  }

  @ParameterizedTest
  @MethodSource("allValidInputs")
  void roundTripsToTheSameTree(Path input) {
    RuleFile original = parse(input).file();
    RuleFile reparsed = parse(input.getFileName().toString(), Formatter.format(original)).file();

    assertThat(Trees.withoutSpans(reparsed.items())).isEqualTo(Trees.withoutSpans(original.items()));
    assertThat(reparsed.comments())
        .extracting(RuleFile.Comment::text)
        .containsExactlyElementsOf(original.comments().stream().map(RuleFile.Comment::text).toList());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a and b or c | a and b or c",
        "a and (b or c) | a and (b or c)",
        "(a or b) and c | (a or b) and c",
        "a or (b or c) | a or (b or c)",
        "(a or b) or c | a or b or c",
        "not (a and b) | not (a and b)",
        "not (contact.country in [\"FR\"]) | not contact.country in [\"FR\"]",
        "contact.score - (1 - 2) > 0 | contact.score - (1 - 2) > 0",
        "(contact.score - 1) - 2 > 0 | contact.score - 1 - 2 > 0",
        "(contact.score + 1) * 2 > 0 | (contact.score + 1) * 2 > 0",
        "contact.score + 1 * 2 > 0 | contact.score + 1 * 2 > 0",
        "contact.stage IS MQL | contact.stage is MQL",
        "contact.stage is not MQL | contact.stage is not MQL",
        "((has tag \"X\")) | has tag \"X\""
      })
  void usesMinimalParentheses(String condition, String expected) {
    String text = "segment \"r\"\nwhen " + condition + "\nthen tag \"X\"\nend\n";
    ParseResult parsed = parse("p.rules", text);
    assertThat(parsed.diagnostics()).isEmpty();

    assertThat(Formatter.format(parsed.file()))
        .isEqualTo("segment \"r\"\nwhen\n  " + expected + "\nthen\n  tag \"X\"\nend\n");
  }

  @Test
  void escapesStringsAgain() {
    // Names hold no control characters (Names): the tab and the line break are in a reason.
    String text = "segment \"say \\\"hi\\\" \\\\ é\"\nthen tag \"X\" because \"line\\nbreak \\t tab\"\nend\n";
    ParseResult parsed = parse("s.rules", text);
    assertThat(parsed.diagnostics()).isEmpty();

    assertThat(Formatter.format(parsed.file()))
        .isEqualTo("segment \"say \\\"hi\\\" \\\\ é\"\nthen\n  tag \"X\" because \"line\\nbreak \\t tab\"\nend\n");
  }

  @Test
  void keepsCommentsAtTheEndOfAFile() {
    ParseResult parsed = parse("c.rules", "define HOT = 100 # hot\n\n# the end\n");

    assertThat(Formatter.format(parsed.file())).isEqualTo("define HOT = 100  # hot\n# the end\n");
  }

  @Test
  void formatsAnEmptyFileAsNothing() {
    assertThat(Formatter.format(parse("e.rules", "\n\n").file())).isEmpty();
  }
}
