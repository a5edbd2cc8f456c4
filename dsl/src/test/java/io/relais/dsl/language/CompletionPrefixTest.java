package io.relais.dsl.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.RulesetSources;
import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A property of the language service: cut any sample file anywhere, as an author typing it
 * would, and completion, hover and definition at the cut answer without throwing, with the
 * rest of the ruleset present. Every cut position of every sample file is tried.
 */
class CompletionPrefixTest {

  private static final Path SAMPLES = Path.of("..", "rules");

  static List<Path> sampleFiles() throws IOException {
    try (Stream<Path> all = Files.walk(SAMPLES, 2)) {
      List<Path> files = all.filter(p -> p.toString().endsWith(RuleLanguage.EXTENSION)).sorted().toList();
      assertThat(files).as("sample rule files").hasSizeGreaterThanOrEqualTo(4);
      return files;
    }
  }

  @ParameterizedTest
  @MethodSource("sampleFiles")
  void everyPrefixAnswers(Path file) throws IOException {
    RulesetSources ruleset = RuleLanguage.load(file.getParent());
    String name = file.getFileName().toString();
    String text = Files.readString(file);
    LanguageService service = new LanguageService(Optional.empty());
    RulesetFiles files = service.ruleset(ruleset.name());
    for (Source source : ruleset.sources()) {
      files.put(source.name(), source.text());
    }
    int answered = 0;
    for (int cut = 0; cut <= text.length(); cut++) {
      String prefix = text.substring(0, cut);
      files.put(name, prefix);
      Snapshot snapshot = files.snapshot();
      Position end = Position.of(prefix, cut);

      List<Completion> items = service.completion(snapshot, name, end);
      service.hover(snapshot, name, end);
      service.definition(snapshot, name, end);

      for (Completion item : items) {
        assertThat(item.replace().file()).isEqualTo(name);
        assertThat(item.label()).isNotBlank();
      }
      answered += items.isEmpty() ? 0 : 1;
    }
    assertThat(answered).as("cuts with completions in %s", file).isGreaterThan(text.length() / 10);
  }
}
