package io.relais.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.source.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleLanguageTest {

  @TempDir
  Path dir;

  @Test
  void loadsAFolderSortedByFileNameAndNamedAfterIt() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("acme-auto"));
    Files.writeString(folder.resolve("b.rules"), "scoring \"B\" then add 1 to score end");
    Files.writeString(folder.resolve("a.rules"), "scoring \"A\" then add 1 to score end");
    Files.writeString(folder.resolve("notes.txt"), "not rules");
    RulesetSources loaded = RuleLanguage.load(folder);
    assertThat(loaded.name()).isEqualTo("acme-auto");
    assertThat(loaded.sources()).extracting(Source::name).containsExactly("a.rules", "b.rules");
    var result = RuleLanguage.check(loaded);
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.ruleset().orElseThrow().name()).isEqualTo("acme-auto");
  }

  @Test
  void loadsOneFileNamedWithoutItsExtension() throws IOException {
    Path file = dir.resolve("leads.rules");
    Files.writeString(file, "scoring \"A\" when contact.scroe > 1 then add 1 to score end");
    RulesetSources loaded = RuleLanguage.load(file);
    assertThat(loaded.name()).isEqualTo("leads");
    assertThat(RuleLanguage.check(loaded).diagnostics()).extracting(d -> d.render())
        .containsExactly(
            "leads.rules:1:18: error: unknown field contact.scroe — did you mean contact.score?");
  }

  @Test
  void aRulesetHeaderWinsOverTheFolderName() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("folder"));
    Files.writeString(folder.resolve("a.rules"), "ruleset \"named\"");
    assertThat(RuleLanguage.check(RuleLanguage.load(folder)).ruleset().orElseThrow().name())
        .isEqualTo("named");
  }

  @Test
  void syntaxErrorsKeepTheRulesetAwayAndSilenceWholeRulesetWarnings() {
    var result = RuleLanguage.check("t", java.util.List.of(new Source("t.rules", """
        segment "S" when has tag "NEVER" then untag "X" end
        scoring "Broken" when then add 1 to score end
        """)));
    assertThat(result.ruleset()).isEmpty();
    assertThat(result.diagnostics()).extracting(d -> d.code()).doesNotContain("tag-never-set");
    assertThat(result.hasErrors()).isTrue();
  }
}
