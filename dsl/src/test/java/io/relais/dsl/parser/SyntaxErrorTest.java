package io.relais.dsl.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Error wording: a table of input to the exact rendered diagnostics (file t.rules). */
class SyntaxErrorTest {

  static Stream<Arguments> table() {
    return Stream.of(
        // ---- rule structure ----
        row("segment \"X\"\nwhen contact.score > 3 tag \"Y\"\nend",
            "t.rules:2:24: error: expected `then` or `and` after the condition"),
        row("segment Leasing pages\nwhen x then tag \"Y\" end",
            "t.rules:1:9: error: expected a rule name in quotes after `segment`"),
        row("segment \"X\"\nwhen x\nthen tag \"Y\"\n\nsegment \"Z\" then tag \"A\" end",
            "t.rules:5:1: error: expected `end` to close rule \"X\" (opened at line 1)"),
        row("segment \"X\" then tag \"Y\"",
            "t.rules:1:25: error: expected `end` to close rule \"X\" (opened at line 1)"),
        row("campaign \"c\"\n  step \"a\" after 1 day\n\ntier \"Gold\" from 5 points",
            "t.rules:4:1: error: expected `end` to close campaign \"c\" (opened at line 1)"),
        row("segment \"X\" wen x > 1 then tag \"Y\" end",
            "t.rules:1:13: error: unexpected `wen`: expected `priority`, `active`, `until`, `when`"
                + " or `then` — did you mean when?"),
        row("segment \"X\" tag \"Y\" end",
            "t.rules:1:13: error: expected `then` before the first action"),
        row("segment \"X\" priority 2\n  add to segment \"Y\"\nend",
            "t.rules:2:3: error: expected `then` before the first action"),
        row("segment \"X\"",
            "t.rules:1:12: error: unexpected end of file: expected `priority`, `active`, `until`,"
                + " `when` or `then`"),
        row("segment",
            "t.rules:1:8: error: expected a rule name in quotes after `segment`"),
        row("segment \"X\" priority high then tag \"Y\" end",
            "t.rules:1:22: error: expected a number after `priority`"),
        row("segment \"X\" active 2026-01-01 then tag \"Y\" end",
            "t.rules:1:20: error: unexpected `2026-01-01`: expected `from`"),
        row("segment \"X\" until 2026-1-1 then tag \"Y\" end",
            "t.rules:1:19: error: expected a date like 2026-11-27 after `until`"),
        // ---- actions ----
        row("segment \"X\" then xyz \"Y\" end",
            "t.rules:1:18: error: unexpected `xyz`: expected an action (tag, add, set, ...)"),
        row("segment \"X\" then tagg \"Y\" end",
            "t.rules:1:18: error: unexpected `tagg`: expected an action (tag, add, set, ...)"
                + " — did you mean tag?"),
        row("segment \"X\" then tag \"Y\" foo end",
            "t.rules:1:26: error: unexpected `foo`: expected an action (tag, add, set, ...)"
                + " or `end`"),
        row("segment \"X\" then end",
            "t.rules:1:18: error: unexpected `end`: expected an action (tag, add, set, ...)"),
        row("segment \"X\" then tag \"x\" because end",
            "t.rules:1:34: error: expected a reason in quotes after `because`"),
        row("scoring \"X\" then add 5 too score end",
            "t.rules:1:24: error: unexpected `too`: expected `to` — did you mean to?"),
        row("scoring \"X\" then set scor to 5 end",
            "t.rules:1:22: error: unexpected `scor`: expected `score` or `stage`"
                + " — did you mean score?"),
        row("qualify \"X\" then set stage to \"SQL\" end",
            "t.rules:1:31: error: expected a stage like SQL after `to`"),
        row("qualify \"X\" then advance to SQL end",
            "t.rules:1:26: error: unexpected `to`: expected `stage`"),
        row("nurture \"X\" then enroll \"leasing-101\" end",
            "t.rules:1:25: error: unexpected \"leasing-101\": expected `in`"),
        row("loyalty \"X\" then award 5 end",
            "t.rules:1:26: error: unexpected `end`: expected `points`"),
        row("loyalty \"X\" then award 5 points expiring 3 days end",
            "t.rules:1:42: error: unexpected `3`: expected `in`"),
        row("alert \"X\" then notify with \"x\" end",
            "t.rules:1:23: error: unexpected `with`: expected an address in quotes or `owner`"),
        row("alert \"X\" then notify owner \"x\" end",
            "t.rules:1:29: error: unexpected \"x\": expected `via` or `with`"),
        row("alert \"X\" then notify owner via with \"x\" end",
            "t.rules:1:33: error: expected a channel (email, slack, sms or webhook) after `via`"),
        row("alert \"X\" then notify owner with \"x\" at most once 1 day end",
            "t.rules:1:51: error: unexpected `1`: expected `per`"),
        // ---- conditions ----
        row("segment \"X\" when then tag \"Y\" end",
            "t.rules:1:18: error: unexpected `then`: expected a condition"),
        row("segment \"X\" when a >= then tag \"Y\" end",
            "t.rules:1:23: error: unexpected `then`: expected a value"),
        row("segment \"X\" when x = 1 end",
            "t.rules:1:24: error: expected `then` or `and` after the condition"),
        row("segment \"X\" when x = 1 and then tag \"Y\" end",
            "t.rules:1:28: error: unexpected `then`: expected a condition"),
        row("segment \"X\" when contact.score 100 then tag \"Y\" end",
            "t.rules:1:32: error: expected `then` or `and` after the condition"),
        row("segment \"X\" when (a > 1 then tag \"Y\" end",
            "t.rules:1:25: error: expected `)` or `and` after the condition"),
        row("segment \"X\" when a is then tag \"Y\" end",
            "t.rules:1:23: error: unexpected `then`: expected a value, `empty` or `not`"),
        row("segment \"X\" when a in [\"x\" \"y\"] then tag \"Y\" end",
            "t.rules:1:28: error: unexpected \"y\": expected `,` or `]`"),
        row("segment \"X\" when a between 1 2 then tag \"Y\" end",
            "t.rules:1:30: error: unexpected `2`: expected `and`"),
        row("segment \"X\" when a matches y then tag \"Y\" end",
            "t.rules:1:28: error: expected a pattern in quotes after `matches`"),
        row("segment \"X\" when x in segment \"S\" then tag \"Y\" end",
            "t.rules:1:23: error: unexpected `segment`: expected `[`"),
        row("segment \"X\" when has tag then tag \"Y\" end",
            "t.rules:1:26: error: expected a tag name in quotes after `tag`"),
        row("segment \"X\" when event foo then tag \"Y\" end",
            "t.rules:1:24: error: unexpected `foo`: expected `is` or `.`"),
        row("segment \"X\" when event is \"page_visit\" then tag \"Y\" end",
            "t.rules:1:27: error: expected an event type like page_visit after `is`"),
        row("segment \"X\" when contact. > 1 then tag \"Y\" end",
            "t.rules:1:27: error: expected a name after `.`"),
        row("segment \"X\" when event.",
            "t.rules:1:24: error: expected a name after `.`"),
        row("event webinar { title: text, }",
            "t.rules:1:30: error: expected an attribute name after `,`"),
        row("segment \"X\" when count page_visit > 1 then tag \"Y\" end",
            "t.rules:1:24: error: unexpected `page_visit`: expected `(`"),
        row("segment \"X\" when count(page_visit where url = \"x\" 7 days) > 2 then tag \"Y\" end",
            "t.rules:1:51: error: expected `within`, `)` or `and` after the condition"),
        row("segment \"X\" when count(page_visit within 7 dys) > 1 then tag \"Y\" end",
            "t.rules:1:44: error: expected a unit (minutes, hours, days or weeks) after `7`"
                + " — did you mean days?"),
        row("segment \"X\" when count(page_visit within days) > 1 then tag \"Y\" end",
            "t.rules:1:42: error: expected a duration like 7 days after `within`"),
        row("segment \"X\" when sum(purchase) > 1 then tag \"Y\" end",
            "t.rules:1:30: error: unexpected `)`: expected `.`"),
        row("segment \"X\" when days since purchase > 1 then tag \"Y\" end",
            "t.rules:1:29: error: unexpected `purchase`: expected `last`"),
        row("segment \"X\" when contact.score ≥ 3 then tag \"Y\" end",
            "t.rules:1:32: error: unexpected character `≥`: expected `then` or `and` after the"
                + " condition"),
        // ---- top level, headers and declarations ----
        row("xyz\nsegmnt \"A\" then tag \"B\" end",
            "t.rules:1:1: error: unexpected `xyz`: expected a rule (segment, scoring, qualify,"
                + " nurture, loyalty, alert), a declaration or a header"),
        row("segmnt \"A\" then tag \"B\" end",
            "t.rules:1:1: error: unexpected `segmnt`: expected a rule (segment, scoring, qualify,"
                + " nurture, loyalty, alert), a declaration or a header — did you mean segment?"),
        row("end",
            "t.rules:1:1: error: unexpected `end`: there is no rule or campaign to close here"),
        row("€",
            "t.rules:1:1: error: unexpected character `€`: expected a rule (segment, scoring,"
                + " qualify, nurture, loyalty, alert), a declaration or a header"),
        row("ruleset acme",
            "t.rules:1:9: error: expected a ruleset name in quotes after `ruleset`"),
        row("timezone",
            "t.rules:1:9: error: expected a time zone name in quotes after `timezone`"),
        row("default \"sales@acme.fr\"",
            "t.rules:1:9: error: unexpected \"sales@acme.fr\": expected `owner`"),
        row("attribute industry : text",
            "t.rules:1:11: error: unexpected `industry`: expected `contact`"),
        row("attribute contact.industry text",
            "t.rules:1:28: error: unexpected `text`: expected `:`"),
        row("attribute contact.industry :",
            "t.rules:1:29: error: expected a type (text, number, boolean, date or datetime)"
                + " after `:`"),
        row("event webinar { title: text minutes: number }",
            "t.rules:1:29: error: unexpected `minutes`: expected `,` or `}`"),
        row("event webinar title: text",
            "t.rules:1:15: error: unexpected `title`: expected `{`"),
        row("define = 3",
            "t.rules:1:8: error: expected a constant name after `define`"),
        row("define X 3",
            "t.rules:1:10: error: unexpected `3`: expected `=`"),
        row("tier \"Gold\" from points",
            "t.rules:1:18: error: expected a number after `from`"),
        row("tier \"Gold\" from 500",
            "t.rules:1:21: error: unexpected end of file: expected `points`"),
        row("reward \"x\" cost 5 points",
            "t.rules:1:12: error: unexpected `cost`: expected `costs` — did you mean costs?"),
        row("campaign \"c\" step \"a\" 3 days end",
            "t.rules:1:23: error: unexpected `3`: expected `after`"),
        row("campaign \"c\" step \"a\" after days end",
            "t.rules:1:29: error: expected a duration like 7 days after `after`"),
        row("campaign \"c\" stepp \"a\" after 1 day end",
            "t.rules:1:14: error: unexpected `stepp`: expected `step`, `exit` or `end`"
                + " — did you mean step?"),
        row("campaign \"c\" exit contact.stage > SQL end",
            "t.rules:1:19: error: unexpected `contact`: expected `when`"),
        // ---- tokens ----
        row("segment \"X\" then tag \"abc end",
            "t.rules:1:22: error: unterminated string: a string ends on its own line"),
        row("segment \"X\" then tag \"a\\",
            "t.rules:1:22: error: unterminated string: a string ends on its own line"),
        row("segment \"X\" then tag \"a\\qb\" end",
            "t.rules:1:24: error: unknown escape \\q in string: use \\\", \\\\, \\n, \\t or \\uXXXX"),
        row("segment \"X\" then tag \"a\\u12\" end",
            "t.rules:1:24: error: bad escape \\u12 in string: \\u needs four hex digits,"
                + " like \\u00e9"),
        row("segment \"X\" active from 2026-02-30 then tag \"Y\" end",
            "t.rules:1:25: error: 2026-02-30 is not a date"),
        row("define A = 12.",
            "t.rules:1:12: error: `12.` is not a number"),
        row("campaign \"c\" step \"a\" after 7days end",
            "t.rules:1:29: error: `7days` is not a number: put a space before `days`"),
        row("campaign \"c\" step \"a\" after 1.5 days end",
            "t.rules:1:29: error: a duration needs a whole number: 1.5 (use a smaller unit)"),
        row("campaign \"c\" step \"a\" after -3 days end",
            "t.rules:1:29: error: a duration cannot be negative: -3"),
        row("qualify \"X\" priority 1.5 then disqualify end",
            "t.rules:1:22: error: priority must be a whole number, not 1.5"),
        row("alert \"X\" then notify owner via emial with \"x\" end",
            "t.rules:1:33: error: unknown channel `emial`: use email, slack, sms or webhook"
                + " — did you mean email?"),
        // ---- templates ----
        row("nurture \"X\" then send \"hi {{contact.firstName\" end",
            "t.rules:1:27: error: unclosed placeholder: `{{` needs a matching `}}`"),
        row("nurture \"X\" then send \"hi {{}}\" end",
            "t.rules:1:27: error: empty placeholder: write a name between `{{` and `}}`,"
                + " like {{contact.firstName}}"),
        row("nurture \"X\" then send \"hi {{ contact. }}\" end",
            "t.rules:1:27: error: `contact.` is not a name: a placeholder holds a name like"
                + " contact.firstName, then an optional `|fallback`"),
        row("alert \"X\" then notify owner with \"{{contact.first name|x}}\" end",
            "t.rules:1:35: error: `contact.first name` is not a name: a placeholder holds a name"
                + " like contact.firstName, then an optional `|fallback`"),
        // ---- nesting ----
        row("segment \"X\" when " + "(".repeat(101) + "a" + ")".repeat(101)
                + " then tag \"x\" end",
            "t.rules:1:118: error: nested too deeply: split this condition (at most 100 nested"
                + " parentheses, `not` or chained + - * /)"));
  }

  private static Arguments row(String input, String... expected) {
    return Arguments.of(input, List.of(expected));
  }

  @ParameterizedTest
  @MethodSource("table")
  void rendersTheExpectedDiagnostics(String input, List<String> expected) {
    ParseResult result = RulesParser.parse(new Source("t.rules", input));
    assertThat(result.diagnostics()).extracting(Diagnostic::render)
        .containsExactlyElementsOf(expected);
  }

  @Test
  void errorsCarryTheirCode() {
    assertThat(codeOf("segment \"X\" then tagg \"Y\" end")).isEqualTo("syntax");
    assertThat(codeOf("segment \"X\" then tag \"abc end")).isEqualTo("unterminated-string");
    assertThat(codeOf("segment \"X\" then tag \"a\\qb\" end")).isEqualTo("bad-escape");
    assertThat(codeOf("define D = 2026-02-30")).isEqualTo("bad-date");
    assertThat(codeOf("define A = 12.")).isEqualTo("bad-number");
    assertThat(codeOf("nurture \"X\" then send \"{{}}\" end")).isEqualTo("bad-template");
    assertThat(codeOf("alert \"X\" then notify owner via fax with \"x\" end"))
        .isEqualTo("unknown-channel");
    assertThat(codeOf("segment \"X\" when " + "(".repeat(200) + "a" + ")".repeat(200)
        + " then tag \"x\" end")).isEqualTo("nested-too-deeply");
  }

  @Test
  void theSuggestionIsItsOwnField() {
    Diagnostic d = RulesParser.parse(new Source("t.rules", "segment \"X\" wen a then tag \"Y\" end"))
        .diagnostics().get(0);
    assertThat(d.suggestion()).contains("when");
    assertThat(d.message()).doesNotContain("did you mean");
  }

  @Test
  void threeUnrelatedErrorsInThreeRulesGiveThreeDiagnostics() {
    String text = """
        segment "Leasing pages"
        when event is page_visit and event.url matches "/leasing/**"
        then tag "FINANCING_LEASING"
        end

        scoring "Website visit"
        wen event is page_visit
        then add 1 to score
        end

        qualify "Hot lead"
        when contact.score >= 100
        then advance stage SQL
        end

        nurture "Education"
        when has tag "FINANCING_LEASING"
        then enroll in "leasing-101"
        end

        alert "Back on site"
        when contact.stage >= SQL and
        then notify owner with "{{contact.firstName}} is back"
        end

        loyalty "Purchase"
        then award event.amount / 10 points
        end
        """;
    ParseResult result = RulesParser.parse(new Source("leads.rules", text));
    assertThat(result.diagnostics()).extracting(Diagnostic::render).containsExactly(
        "leads.rules:7:1: error: unexpected `wen`: expected `priority`, `active`, `until`,"
            + " `when` or `then` — did you mean when?",
        "leads.rules:13:20: error: unexpected `SQL`: expected `to`",
        "leads.rules:23:1: error: unexpected `then`: expected a condition");
    // The rules that failed are left out; the others are all there.
    assertThat(result.file().items()).extracting(i -> ((io.relais.dsl.ast.Item.Rule) i).name().text())
        .containsExactly("Leasing pages", "Education", "Purchase");
  }

  @Test
  void recoversInsideARuleAtTheNextAction() {
    String text = """
        segment "A"
        then
          tag FOO
          untag "B"
          add to segmnt "S"
          remove from segment "T"
        end
        scoring "B" then add 1 to score end
        """;
    ParseResult result = RulesParser.parse(new Source("t.rules", text));
    assertThat(result.diagnostics()).extracting(Diagnostic::render).containsExactly(
        "t.rules:3:7: error: expected a tag name in quotes after `tag`",
        "t.rules:5:10: error: unexpected `segmnt`: expected `segment` — did you mean segment?");
    assertThat(result.file().items()).hasSize(1);
  }

  @Test
  void recoversAfterABrokenConditionAtThen() {
    String text = """
        segment "A"
        when contact.score >> 3
        then
          tag FOO
        end
        """;
    ParseResult result = RulesParser.parse(new Source("t.rules", text));
    assertThat(result.diagnostics()).extracting(Diagnostic::render).containsExactly(
        "t.rules:2:21: error: unexpected `>`: expected a value",
        "t.rules:4:7: error: expected a tag name in quotes after `tag`");
  }

  private static String codeOf(String text) {
    List<Diagnostic> diagnostics = RulesParser.parse(new Source("t.rules", text)).diagnostics();
    assertThat(diagnostics).hasSize(1);
    return diagnostics.get(0).code();
  }
}
