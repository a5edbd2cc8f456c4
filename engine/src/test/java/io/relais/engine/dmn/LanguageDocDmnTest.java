package io.relais.engine.dmn;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DMN examples of docs/language.md stay true: every {@code ```dmn-rules FOLDER/FILE.dmn}
 * block checks without any diagnostic next to that sample file of rules/ (the dsl module's
 * LanguageDocTest cannot: it has no DMN engine).
 */
class LanguageDocDmnTest {

  private static final Path DOC = Path.of("..", "docs", "language.md");
  private static final Path RULES = Path.of("..", "rules");
  private static final String FENCE = "```dmn-rules ";

  @Test
  void everyDmnExampleChecksClean() throws IOException {
    List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
    List<String> checked = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).startsWith(FENCE)) {
        continue;
      }
      Path dmn = RULES.resolve(lines.get(i).substring(FENCE.length()).trim());
      StringBuilder text = new StringBuilder();
      int start = i + 1;
      for (i = start; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
        text.append(lines.get(i)).append('\n');
      }
      CheckResult result = RuleLanguage.check("example", List.of(
          new Source(dmn.getFileName().toString(), Files.readString(dmn, StandardCharsets.UTF_8)),
          new Source("example.rules", text.toString())));
      assertThat(result.diagnostics()).as("docs/language.md:" + start)
          .extracting(Diagnostic::render).isEmpty();
      checked.add(dmn.toString());
    }
    assertThat(checked).as("DMN examples in docs/language.md").isNotEmpty();
  }
}
