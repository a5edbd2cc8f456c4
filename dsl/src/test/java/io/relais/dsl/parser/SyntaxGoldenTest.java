package io.relais.dsl.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.dsl.testing.Golden;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** golden/syntax: each NAME.rules beside NAME.diagnostics (rendered, one per line). */
class SyntaxGoldenTest {

  private static final Path FOLDER = Golden.folder("syntax");

  @TestFactory
  Stream<DynamicTest> everyGoldenFile() {
    return Golden.inputs(FOLDER, ".rules").stream().map(input -> DynamicTest.dynamicTest(
        input.getFileName().toString(),
        () -> Golden.assertMatches(Golden.sibling(input, ".diagnostics"), render(input))));
  }

  @Test
  void everyExampleOfTheLanguageDocumentParsesCleanly() {
    var examples = Golden.inputs(FOLDER, ".rules").stream()
        .filter(p -> p.getFileName().toString().startsWith("dsl-md-"))
        .toList();
    assertThat(examples).hasSizeGreaterThanOrEqualTo(8);
    for (Path example : examples) {
      var result = RulesParser.parse(new Source(example.getFileName().toString(),
          Golden.read(example)));
      assertThat(result.diagnostics()).as(example.toString()).isEmpty();
      assertThat(result.file().items()).as(example.toString()).isNotEmpty();
    }
  }

  private static String render(Path input) {
    var result = RulesParser.parse(new Source(input.getFileName().toString(), Golden.read(input)));
    return result.diagnostics().stream()
        .map(Diagnostic::render)
        .map(line -> line + "\n")
        .collect(Collectors.joining());
  }
}
