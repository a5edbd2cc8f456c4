package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Rendered templates are cut at their longest (relais.templates.max-length) while rendering,
 * with a {@code template-truncated} warning; a surrogate pair is never split.
 */
class TemplateTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
  private static final Decision.RuleRef RULE = new Decision.RuleRef("Long", "test.rules:1");

  private static String render(List<ActionCompiler.Piece> pieces, int maxLength, Effects effects) {
    return new ActionCompiler.Template(pieces, maxLength).render(null, RULE, effects);
  }

  @Test
  void aTemplateOverItsLongestIsCutWhileRenderingWithAWarning() {
    AtomicInteger rendered = new AtomicInteger();
    String huge = "u".repeat(90_000);
    List<ActionCompiler.Piece> pieces = new ArrayList<>();
    pieces.add(f -> "Back on ");
    for (int i = 0; i < 10_000; i++) {
      pieces.add(f -> {
        rendered.incrementAndGet();
        return huge;
      });
    }
    Effects effects = new Effects();

    String message = render(pieces, 4096, effects);

    assertThat(message).hasSize(4096).startsWith("Back on uuu");
    // The rest was never rendered, let alone appended: no 900 MB string on the way.
    assertThat(rendered).hasValue(1);
    assertThat(effects.warnings).containsExactly(
        "test.rules:1: rule \"Long\": template-truncated: the message was cut to its first 4096 characters");
  }

  @Test
  void aTemplateWithinItsLongestIsWholeWithoutWarning() {
    Effects effects = new Effects();

    assertThat(render(List.of(f -> "abc", f -> "", f -> "de"), 5, effects)).isEqualTo("abcde");
    assertThat(render(List.of(f -> "abcde", f -> ""), 5, effects)).isEqualTo("abcde");
    assertThat(effects.warnings).isEmpty();
  }

  @Test
  void theCutNeverSplitsASurrogatePair() {
    Effects effects = new Effects();
    String faces = "\uD83D\uDE00\uD83D\uDE00"; // two characters outside the BMP, four code units

    String cut = render(List.of(f -> "a", f -> faces), 4, effects);

    assertThat(cut).isEqualTo("a\uD83D\uDE00");
    assertThat(cut.codePoints().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    assertThat(render(List.of(f -> faces), 1, effects)).isEmpty();
    assertThat(render(List.of(f -> faces), 2, effects)).isEqualTo("\uD83D\uDE00");
    assertThat(effects.warnings).hasSize(3);
  }

  @Test
  void aRuleWithTenThousandPlaceholdersOfAHugeUrlAlertsWithinTheConfiguredLength() {
    String template = "{{event.url}}".repeat(10_000);
    String rules = "alert \"Long\"\nwhen event is page_visit\nthen notify \"sales@acme.fr\" with \""
        + template + "\"\nend\n";
    Event visit = new Event("e-1", "page_visit", NOW, Map.of("url", "/" + "u".repeat(90_000)));

    for (int longest : new int[] {CompileOptions.DEFAULT_MAX_TEMPLATE_LENGTH, 100}) {
      CompiledRuleset compiled = Rulesets.compile(rules, new CompileOptions(longest));
      Evaluation e = compiled.evaluate(Contact.withId("c-1"), Optional.of(visit), List.of(), NOW);

      assertThat(e.decisions()).singleElement().satisfies(alert -> {
        assertThat(alert.type()).isEqualTo(Decision.Type.ALERT);
        assertThat((String) alert.field("message")).hasSize(longest).startsWith("/uuu");
      });
      assertThat(e.warnings()).singleElement().asString().contains("rule \"Long\": template-truncated: ")
          .endsWith(longest + " characters");
    }
  }

  @Test
  void theLongestIsAtLeastOneCharacter() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CompileOptions(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CompileOptions.defaults().maxTemplateLength()).isEqualTo(4096);
  }
}
