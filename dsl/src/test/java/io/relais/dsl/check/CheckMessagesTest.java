package io.relais.dsl.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wording authors see: a table of {@code condition -> exact diagnostic}. Each condition
 * sits on line 2, column 6 of a scoring rule in {@code leads.rules}.
 */
class CheckMessagesTest {

  static Stream<Arguments> conditions() {
    return Stream.of(
        row("contact.scroe > 10",
            "2:6: error: unknown field contact.scroe — did you mean contact.score?"),
        row("contact.stage >= mql",
            "2:23: error: unknown stage mql — did you mean MQL?"),
        row("event is page_vist",
            "2:15: error: unknown event type page_vist — did you mean page_visit?"),
        row("event is page_visit and event.urll = \"x\"",
            "2:30: error: page_visit has no attribute urll — did you mean event.url?"),
        row("contact.score > HOTT",
            "2:22: error: unknown name HOTT — did you mean HOT?"),
        row("event.url = \"x\"",
            "2:6: error: event.url needs `event is TYPE` earlier in the same `and` chain"
                + " (url is an attribute of page_visit, email_click, newsletter_read,"
                + " article_read)"),
        row("contact.city = 3",
            "2:21: error: cannot compare text with a number"),
        row("contact.city > \"M\"",
            "2:6: error: text cannot be compared with `>`: only numbers, dates and stages are"
                + " ordered (text supports = != in contains matches is empty)"),
        row("contact.consent.email < true",
            "2:6: error: true or false cannot be compared with `<`: only numbers, dates and"
                + " stages are ordered"),
        row("contact.city * 2 > 1",
            "2:6: error: `*` needs numbers, not text"),
        row("contact.score between \"a\" and 5",
            "2:28: error: a bound of between must be a number like the value, not text"),
        row("contact.score in [1, \"2\"]",
            "2:27: error: a list item must be a number like the value, not text"),
        row("contact.score contains \"1\"",
            "2:6: error: contains works on text, not a number"),
        row("contact.age matches \"1*\"",
            "2:6: error: matches works on text, not a number"),
        row("contact.score",
            "2:6: error: condition must be true or false, not a number"),
        row("contact.stage = \"SQL\"",
            "2:22: error: a stage compares with a stage like MQL, not text — did you mean SQL?"),
        row("days since last purchase = \"x\"",
            "2:33: error: cannot compare a number with text"),
        row("sum(purchase.currency) > 1",
            "2:19: error: sum needs a number attribute: purchase.currency is text"),
        row("contact.tier = \"Gld\"",
            "2:21: error: unknown tier \"Gld\" — did you mean \"Gold\"?"),
        row("contact.age > 200",
            "2:6: warning: rule \"R\" can never fire: contact.age is at most 150"),
        row("count(page_visit) < 0",
            "2:6: warning: rule \"R\" can never fire: a count is never negative"),
        row("contact.score between 10 and 5",
            "2:6: warning: rule \"R\" can never fire: between 10 and 5 is empty: write the lower"
                + " bound first"),
        row("HOT < 50",
            "2:6: warning: rule \"R\" can never fire: its condition is always false"),
        row("has tag \"VIPP\"",
            "2:14: warning: tag \"VIPP\" is tested but no rule sets it with `tag \"VIPP\"`"
                + " — did you mean \"VIP\"?"));
  }

  private static Arguments row(String condition, String expected) {
    return Arguments.of(condition, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conditions")
  void conditionMessage(String condition, String expected) {
    String text = "scoring \"R\"\nwhen " + condition + "\nthen add 1 to score\nend\n"
        + "define HOT = 100\ntier \"Gold\" from 0 points\nsegment \"Tags\" then tag \"VIP\" end\n";
    List<Diagnostic> diagnostics =
        RuleLanguage.check("leads", List.of(new Source("leads.rules", text))).diagnostics();
    assertThat(diagnostics).extracting(Diagnostic::render).containsExactly("leads.rules:" + expected);
  }

  static Stream<Arguments> actions() {
    return Stream.of(
        Arguments.of("segment", "add 5 to score",
            "3:3: error: `add N to score` is not allowed in a segment rule: only scoring rules"
                + " may use it"),
        Arguments.of("alert", "send \"x\"",
            "3:3: error: `send` is not allowed in an alert rule: only nurture and loyalty rules"
                + " may use it"),
        Arguments.of("qualify", "set stage to mql",
            "3:16: error: unknown stage mql — did you mean MQL?"),
        Arguments.of("qualify", "advance stage to DISQUALIFIED",
            "3:20: error: advance stage cannot go to DISQUALIFIED, which is outside the funnel:"
                + " use `disqualify`"),
        Arguments.of("nurture", "enroll in \"welcom\"",
            "3:13: error: unknown campaign \"welcom\" — did you mean \"welcome\"?"),
        Arguments.of("loyalty", "grant reward \"mugg\"",
            "3:16: error: unknown reward \"mugg\" — did you mean \"mug\"?"),
        Arguments.of("segment", "tag \"X\" by \"two\"",
            "3:14: error: the amount of `tag ... by` must be a number, not text"),
        Arguments.of("loyalty", "award \"ten\" points",
            "3:9: error: the points awarded must be a number, not text"),
        Arguments.of("alert", "notify owner with \"Hi {{contact.frstName}}\"",
            "3:25: error: unknown field contact.frstName — did you mean contact.firstName?"),
        Arguments.of("alert", "notify owner with \"on {{event.url}}\"",
            "3:25: error: event.url needs `event is TYPE` earlier in the same `and` chain"
                + " (url is an attribute of page_visit, email_click, newsletter_read,"
                + " article_read)"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("actions")
  void actionMessage(String kind, String action, String expected) {
    String text = kind + " \"R\"\nthen\n  " + action + "\nend\n"
        + "campaign \"welcome\" step \"hi\" after 0 days end\nreward \"mug\" costs 1 points\n"
        + "nurture \"E\" then enroll in \"welcome\" end\n";
    List<Diagnostic> diagnostics =
        RuleLanguage.check("leads", List.of(new Source("leads.rules", text))).diagnostics();
    assertThat(diagnostics).extracting(Diagnostic::render).containsExactly("leads.rules:" + expected);
  }

  /**
   * Names that cannot be stored, shown or compared safely: control characters (written raw or
   * as an escape), line separators, bidirectional overrides, more than 200 characters. The
   * diagnostic points at the character, or at the whole name when it is too long.
   */
  static Stream<Arguments> names() {
    String ok = "scoring \"R\"\nthen add 1 to score\nend\n";
    return Stream.of(
        Arguments.of("scoring \"a\\u0000b\"\nthen add 1 to score\nend\n",
            "1:11: error: a name cannot hold U+0000: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("scoring \"a\u0000b\"\nthen add 1 to score\nend\n",
            "1:11: error: a name cannot hold U+0000: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("scoring \"a\\u001bb\"\nthen add 1 to score\nend\n",
            "1:11: error: a name cannot hold U+001B: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("scoring \"a\\tb\"\nthen add 1 to score\nend\n",
            "1:11: error: a name cannot hold U+0009: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("segment \"S\"\nthen tag \"VIP\u202Egnp.exe\"\nend\n",
            "2:14: error: a name cannot hold U+202E: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("campaign \"a\\u2028b\" step \"s\" after 0 days end\n" + ok,
            "1:12: error: a name cannot hold U+2028: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("reward \"\\ud800\" costs 1 points\n" + ok,
            "1:9: error: a name cannot hold U+D800: no control, line-separator or"
                + " bidirectional-formatting characters in names"),
        Arguments.of("scoring \"" + "r".repeat(201) + "\"\nthen add 1 to score\nend\n",
            "1:9: error: a name has at most 200 characters; this one has 201"),
        Arguments.of("tier \"" + "t".repeat(5_000) + "\" from 0 points\n" + ok,
            "1:6: error: a name has at most 200 characters; this one has 5000"),
        Arguments.of("define " + "D".repeat(300) + " = 1\n" + ok,
            "1:8: error: a name has at most 200 characters; this one has 300"),
        Arguments.of("scoring \"" + "r".repeat(200) + "\"\nthen add 1 to score\nend\n", ""),
        Arguments.of("segment \"Fam\u00eblie \uD83D\uDC69\u200D\uD83D\uDC67\"\nthen tag \"\u00c9T\u00c9\"\nend\n"
            + "segment \"T\" when has tag \"\u00c9T\u00c9\" then untag \"\u00c9T\u00c9\" end\n", ""));
  }

  @ParameterizedTest(name = "{index}: {1}")
  @MethodSource("names")
  void nameMessage(String text, String expected) {
    List<Diagnostic> diagnostics =
        RuleLanguage.check("leads", List.of(new Source("leads.rules", text))).diagnostics();
    assertThat(diagnostics).extracting(Diagnostic::render)
        .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of("leads.rules:" + expected));
  }
}
