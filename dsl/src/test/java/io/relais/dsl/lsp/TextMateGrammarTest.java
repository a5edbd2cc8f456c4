package io.relais.dsl.lsp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.relais.dsl.parser.CursorContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * editors/relais.tmLanguage.json colours every keyword of the lexer, in any case, and the
 * VS Code extension uses that file (docs/editors.md).
 */
class TextMateGrammarTest {

  private static final Path GRAMMAR = Path.of("..", "editors", "relais.tmLanguage.json");

  /** The keyword patterns of the grammar: every repository entry but comments and strings. */
  private static Map<String, Pattern> patterns() throws IOException {
    JsonObject grammar = JsonParser.parseString(Files.readString(GRAMMAR)).getAsJsonObject();
    assertThat(grammar.get("scopeName").getAsString()).isEqualTo("source.relais");
    Map<String, Pattern> patterns = new java.util.LinkedHashMap<>();
    grammar.getAsJsonObject("repository").entrySet().forEach(e -> {
      JsonObject rule = e.getValue().getAsJsonObject();
      if (rule.has("match") && !e.getKey().equals("comment")) {
        patterns.put(e.getKey(), Pattern.compile(rule.get("match").getAsString()));
      }
    });
    return patterns;
  }

  @Test
  void everyKeywordOfTheLexerIsColouredInAnyCase() throws IOException {
    Map<String, Pattern> patterns = patterns();
    List<String> missing = new ArrayList<>();
    for (String keyword : CursorContext.KEYWORDS) {
      for (String spelling : List.of(keyword, keyword.toUpperCase(Locale.ROOT))) {
        boolean matched = patterns.values().stream().anyMatch(p -> {
          var m = p.matcher("x " + spelling + " y");
          return m.find() && m.group().equals(spelling);
        });
        if (!matched) {
          missing.add(spelling);
        }
      }
    }

    assertThat(CursorContext.KEYWORDS).hasSizeGreaterThan(80);
    assertThat(missing).isEmpty();
  }

  @Test
  void stagesAndTypesToo() throws IOException {
    Map<String, Pattern> patterns = patterns();

    assertThat(patterns.get("stage").matcher("MQL").matches()).isTrue();
    assertThat(patterns.get("type").matcher("datetime").matches()).isTrue();
  }

  @Test
  void theVsCodeExtensionUsesTheGrammar() throws IOException {
    Path linked = Path.of("..", "editors", "vscode", "syntaxes", "relais.tmLanguage.json");
    JsonObject manifest = JsonParser.parseString(
        Files.readString(Path.of("..", "editors", "vscode", "package.json"))).getAsJsonObject();

    assertThat(Files.readString(linked)).isEqualTo(Files.readString(GRAMMAR));
    assertThat(manifest.getAsJsonObject("contributes").getAsJsonArray("grammars").get(0)
        .getAsJsonObject().get("path").getAsString()).isEqualTo("./syntaxes/relais.tmLanguage.json");
  }
}
