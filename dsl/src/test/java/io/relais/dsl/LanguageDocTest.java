package io.relais.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples of docs/language.md stay true: every {@code ```rules} block is a complete file
 * that checks without errors; every {@code ```rules-error} block gives errors, exactly those
 * of the plain block that follows it when there is one.
 */
class LanguageDocTest {

  private static final Path DOC = Path.of("..", "docs", "language.md");

  /** A fenced block: its fence word, first line number, text, and the plain block after it. */
  record Block(String kind, int line, String text, String following) {
    @Override
    public String toString() {
      return kind + " block at docs/language.md:" + line;
    }
  }

  static List<Block> blocks() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    List<Block> raw = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        String kind = line.substring(3).trim();
        int start = i + 1;
        StringBuilder text = new StringBuilder();
        for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
          text.append(lines.get(i)).append('\n');
        }
        raw.add(new Block(kind, start, text.toString(), null));
      }
    }
    List<Block> rules = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Block block = raw.get(i);
      if (block.kind().startsWith("rules")) {
        String following =
            i + 1 < raw.size() && raw.get(i + 1).kind().isEmpty() ? raw.get(i + 1).text() : null;
        rules.add(new Block(block.kind(), block.line(), block.text(), following));
      }
    }
    assertThat(rules).as("rule examples in docs/language.md").hasSizeGreaterThan(10);
    return rules;
  }

  private static CheckResult check(String name, Block block) {
    return RuleLanguage.check(name, List.of(new Source(name + ".rules", block.text())));
  }

  @ParameterizedTest
  @MethodSource("blocks")
  void examplesCheckAsTheDocumentSays(Block block) {
    if (block.kind().equals("rules")) {
      CheckResult result = check("example", block);

      assertThat(result.errors()).extracting(Diagnostic::render).isEmpty();
    } else {
      assertThat(block.kind()).isEqualTo("rules-error");
      CheckResult result = check("errors", block);

      assertThat(result.errors()).isNotEmpty();
      if (block.following() != null) {
        assertThat(result.errors().stream().map(Diagnostic::render).toList())
            .containsExactlyElementsOf(block.following().lines().toList());
      }
    }
  }
}
