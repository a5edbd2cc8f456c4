package io.relais.dsl.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.parser.RulesParser;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The language service called directly: each feature on small rulesets, `|` marking the position. */
class LanguageServiceTest {

  private final LanguageService service = new LanguageService(Optional.empty());

  /** Declarations the other file of each test can use. */
  static final String DECLARATIONS = """
      ruleset "shop"
      attribute contact.industry : text
      event webinar { title: text, minutes: number }
      define HOT = 100
      campaign "leasing-101"
        step "leasing-intro" after 1 day
      end
      tier "Gold" from 2000 points
      reward "free-shipping" costs 0 points

      segment "VIP"
      when
        contact.score >= HOT
      then
        tag "VIP"
        add to segment "Big spenders"
      end
      """;

  /** The position of `|` in a text, and the text without it. */
  record Marked(String text, Position position) {
    static Marked of(String marked) {
      int at = marked.indexOf('|');
      String text = marked.substring(0, at) + marked.substring(at + 1);
      return new Marked(text, Position.of(text, at));
    }
  }

  private Snapshot snapshot(String rules) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("a-declarations.rules", DECLARATIONS);
    files.put("b-rules.rules", rules);
    return service.snapshot("shop", files);
  }

  private List<Completion> complete(String marked) {
    Marked m = Marked.of(marked);
    return service.completion(snapshot(m.text()), "b-rules.rules", m.position());
  }

  private List<String> labels(String marked) {
    return complete(marked).stream().map(Completion::label).toList();
  }

  @Test
  void contactFieldsAfterContactDotWithTypeAndDocumentation() {
    List<Completion> items = complete("scoring \"s\"\nwhen contact.| > 1\nthen add 1 to score\nend\n");

    assertThat(items).extracting(Completion::label)
        .contains("score", "stage", "consent.email", "industry")
        .doesNotContain("when", "HOT");
    Completion score = items.stream().filter(c -> c.label().equals("score")).findFirst().orElseThrow();
    assertThat(score.detail()).isEqualTo("number");
    assertThat(score.documentation()).isEqualTo("the contact score (whole number)");
    assertThat(score.kind()).isEqualTo(Completion.Kind.FIELD);
    Completion industry = items.stream().filter(c -> c.label().equals("industry")).findFirst().orElseThrow();
    assertThat(industry.documentation()).contains("declared attribute", "a-declarations.rules:2");
  }

  @Test
  void aPartlyTypedFieldIsReplacedWhole() {
    Completion c = complete("scoring \"s\"\nwhen contact.sc|\n").get(0);

    assertThat(c.replace()).isEqualTo(new SourceSpan("b-rules.rules", 2, 14, 2, 16));
  }

  @Test
  void nestedFieldsAfterTheirPrefix() {
    assertThat(labels("scoring \"s\"\nwhen contact.consent.|\n")).containsExactly("email", "sms");
  }

  @Test
  void eventTypesAfterEventIsBuiltInAndDeclared() {
    assertThat(labels("segment \"s\"\nwhen event is |\n"))
        .contains("page_visit", "purchase", "daily", "webinar").doesNotContain("and", "contact");
  }

  @Test
  void attributesOfTheGuardedEventTypeAfterEventDot() {
    List<String> labels = labels("segment \"s\"\nwhen event is purchase and event.| > 1\n");

    assertThat(labels).containsExactlyInAnyOrder("order", "amount", "currency", "items", "id", "type", "at");
  }

  @Test
  void withoutAGuardOnlyWhatEveryEventHas() {
    assertThat(labels("segment \"s\"\nwhen event.|\n")).containsExactlyInAnyOrder("id", "type", "at");
  }

  @Test
  void actionsReadWhatTheConditionGuards() {
    assertThat(labels("loyalty \"l\"\nwhen event is webinar and contact.score > 1\nthen\n  award event.|"))
        .containsExactlyInAnyOrder("title", "minutes", "id", "type", "at");
  }

  @Test
  void anOrOfGuardsGivesTheAttributesTheyShare() {
    assertThat(labels("segment \"s\"\nwhen (event is page_visit or event is article_read) and event.|"))
        .containsExactlyInAnyOrder("url", "title", "id", "type", "at");
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "segment \"s\"\\nthen\\n  tag \"|\"\\nend\\n;                       VIP",
      "segment \"s\"\\nwhen has tag \"|\\n;                            VIP",
      "segment \"s\"\\nthen\\n  untag |\\n;                            VIP",
      "segment \"s\"\\nwhen in segment \"|\"\\n;                       Big spenders",
      "segment \"s\"\\nthen\\n  remove from segment \"B|\"\\n;          Big spenders",
      "nurture \"n\"\\nthen\\n  enroll in \"|\"\\n;                     leasing-101",
      "nurture \"n\"\\nthen\\n  stop \"l|\\n;                           leasing-101",
      "loyalty \"l\"\\nthen\\n  grant reward \"|\"\\n;                  free-shipping",
      "nurture \"n\"\\nthen\\n  send \"|\"\\n;                          leasing-intro",
      "loyalty \"l\"\\nwhen contact.tier = \"|\"\\n;                   Gold",
      "loyalty \"l\"\\nwhen contact.tier not in [\"Gold\", \"|\"]\\n;   Gold",
  })
  void namesTheRulesetUsesInsideQuotes(String marked, String name) {
    assertThat(labels(marked.replace("\\n", "\n"))).contains(name);
  }

  @Test
  void insideAStringTheTextBetweenTheQuotesIsReplacedAndAnOpenStringClosed() {
    Completion closed = complete("nurture \"n\"\nthen\n  enroll in \"le|\"\nend\n").get(0);
    Completion open = complete("nurture \"n\"\nthen\n  enroll in \"le|").get(0);
    Completion none = complete("nurture \"n\"\nthen\n  enroll in |").get(0);

    assertThat(closed.insertText()).isEqualTo("leasing-101");
    assertThat(closed.replace()).isEqualTo(new SourceSpan("b-rules.rules", 3, 14, 3, 16));
    assertThat(open.insertText()).isEqualTo("leasing-101\"");
    assertThat(none.insertText()).isEqualTo("\"leasing-101\"");
  }

  @Test
  void historyFunctionsTakeEventTypesAndSumANumberAttribute() {
    assertThat(labels("segment \"s\"\nwhen count(|")).contains("page_visit", "webinar");
    assertThat(labels("segment \"s\"\nwhen days since last |")).contains("purchase");
    assertThat(labels("segment \"s\"\nwhen sum(purchase.|"))
        .containsExactlyInAnyOrder("amount", "items");
    assertThat(labels("segment \"s\"\nwhen count(page_visit where |"))
        .contains("url", "title", "seconds", "HOT", "MQL", "contact");
  }

  @Test
  void keywordsThatFitThePosition() {
    assertThat(labels("segment \"s\"\n|"))
        .contains("priority", "active", "until", "when", "then").doesNotContain("end", "tag");
    assertThat(labels("segment \"s\"\nthen\n  |"))
        .contains("tag", "untag", "add", "remove", "enroll", "award", "notify")
        .doesNotContain("when", "contact");
    assertThat(labels("segment \"s\"\nthen\n  tag \"x\"\n|"))
        .contains("by", "because", "end", "tag");
    assertThat(labels("|")).contains("segment", "scoring", "campaign", "define", "event");
  }

  @Test
  void whereAValueGoesNamesFunctionsAndConstants() {
    List<Completion> items = complete("scoring \"s\"\nwhen |");

    assertThat(items).extracting(Completion::label)
        .contains("contact", "event", "count", "sum", "days", "has", "in", "not", "tag", "decision",
            "HOT", "MQL", "true")
        .doesNotContain("then", "end", "score");
    Completion count = items.stream().filter(c -> c.label().equals("count")).findFirst().orElseThrow();
    assertThat(count.detail()).isEqualTo("count(TYPE [where COND] [within DURATION])");
    Completion hot = items.stream().filter(c -> c.label().equals("HOT")).findFirst().orElseThrow();
    assertThat(hot.detail()).isEqualTo("number");
    assertThat(hot.documentation()).isEqualTo("define HOT = 100 (a-declarations.rules:4)");
  }

  @Test
  void afterACompleteComparisonTheOperatorsAndTheCloser() {
    assertThat(labels("scoring \"s\"\nwhen contact.score > 3 |"))
        .contains("and", "or", "then").doesNotContain("when", "contact");
  }

  @Test
  void stagesTypesAndChannels() {
    assertThat(labels("qualify \"q\"\nthen\n  set stage to |")).contains("MQL", "CUSTOMER", "DISQUALIFIED");
    assertThat(labels("attribute contact.budget : |")).containsExactly("text", "number", "boolean", "date", "datetime");
    assertThat(labels("alert \"a\"\nthen\n  notify owner via |")).containsExactly("email", "slack", "sms", "webhook");
  }

  @Test
  void aConditionNestedBeyondTheParsersStackStillAnswers() {
    String deep = "segment \"s\"\nwhen " + "(".repeat(50_000) + "|";

    assertThat(labels(deep)).doesNotContain("then");
  }

  @Test
  void nothingInCommentsOrWhereANewNameIsWritten() {
    assertThat(labels("# contact.|\n")).isEmpty();
    assertThat(labels("define |")).isEmpty();
    assertThat(labels("campaign \"|")).isEmpty();
  }

  // ---- hover ----

  private Optional<Hover> hover(String marked) {
    Marked m = Marked.of(marked);
    return service.hover(snapshot(m.text()), "b-rules.rules", m.position());
  }

  @Test
  void hoverGivesTypeAndDocumentation() {
    assertThat(hover("scoring \"s\"\nwhen contact.sc|ore > 1\nthen add 1 to score\nend\n").orElseThrow().markdown())
        .isEqualTo("**contact.score** `number`\n\nthe contact score (whole number)");
    Hover amount = hover("loyalty \"l\"\nwhen event is purchase and event.am|ount > 1\nthen\n  award 1 points\nend\n")
        .orElseThrow();
    assertThat(amount.markdown()).isEqualTo("**event.amount** `number`\n\nattribute of purchase events");
    assertThat(amount.range()).isEqualTo(new SourceSpan("b-rules.rules", 2, 34, 2, 40));
    assertThat(hover("segment \"s\"\nwhen co|unt(purchase) > 1\n").orElseThrow().markdown())
        .startsWith("`count(TYPE [where COND] [within DURATION])`");
    assertThat(hover("scoring \"s\"\nwhen contact.score > H|OT\n").orElseThrow().markdown())
        .isEqualTo("**HOT** `number`\n\ndefine HOT = 100 (a-declarations.rules:4)");
    assertThat(hover("nurture \"n\"\nthen\n  enroll in \"leas|ing-101\"\nend\n").orElseThrow().markdown())
        .startsWith("**\"leasing-101\"** campaign").contains("\"leasing-intro\" after 1 days");
    assertThat(hover("segment \"s\"\nwhen event is web|inar\n").orElseThrow().markdown())
        .contains("declared event type (a-declarations.rules:3): title text, minutes number");
    assertThat(hover("segment \"s\"\nwhen contact.stage >= M|QL\n").orElseThrow().markdown())
        .startsWith("**MQL** `stage`");
  }

  @Test
  void noHoverOnSpacesOrUnknownNames() {
    assertThat(hover("scoring \"s\"\nwhen  | contact.score > 1\n")).isEmpty();
    assertThat(hover("scoring \"s\"\nwhen contact.sco|re_x > 1\n")).isEmpty();
  }

  // ---- definition ----

  private List<SourceSpan> definition(String marked) {
    Marked m = Marked.of(marked);
    return service.definition(snapshot(m.text()), "b-rules.rules", m.position());
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "nurture \"n\"\\nthen\\n  enroll in \"leasing|-101\"\\nend\\n;   5; 10; 5; 23",
      "loyalty \"l\"\\nthen\\n  grant reward \"free|-shipping\"\\nend\\n; 9; 8; 9; 23",
      "loyalty \"l\"\\nwhen contact.tier = \"Go|ld\"\\n;          8; 6; 8; 12",
      "scoring \"s\"\\nwhen contact.score > H|OT\\n;              4; 8; 4; 11",
      "scoring \"s\"\\nwhen contact.indus|try = \"x\"\\n;         2; 19; 2; 27",
      "segment \"s\"\\nwhen event is webin|ar\\n;                 3; 7; 3; 14",
      "segment \"s\"\\nwhen event is webinar and event.min|utes > 3\\n; 3; 30; 3; 37",
  })
  void definitionsAcrossFilesOfTheFolder(String marked, int line, int column, int endLine, int endColumn) {
    assertThat(definition(marked.replace("\\n", "\n")))
        .containsExactly(new SourceSpan("a-declarations.rules", line, column, endLine, endColumn));
  }

  @Test
  void builtInNamesHaveNoDefinition() {
    assertThat(definition("scoring \"s\"\nwhen contact.sc|ore > 1\n")).isEmpty();
  }

  // ---- diagnostics, symbols, formatting, fixes ----

  @Test
  void diagnosticsAreThoseOfTheCheckByFile() {
    Snapshot s = snapshot("scoring \"s\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n");

    assertThat(s.diagnosticsByFile()).containsOnlyKeys("a-declarations.rules", "b-rules.rules");
    assertThat(s.diagnostics("b-rules.rules")).extracting(Diagnostic::render).containsExactly(
        "b-rules.rules:2:6: error: unknown field contact.scroe — did you mean contact.score?");
    assertThat(s.diagnostics("a-declarations.rules")).extracting(Diagnostic::code)
        .containsExactly("campaign-never-enrolled", "tier-unreachable");
  }

  @Test
  void symbolsOutlineTheFile() {
    List<Symbol> symbols = service.symbols(snapshot("segment \"s\"\nthen\n  tag \"x\"\nend\n"), "a-declarations.rules");

    assertThat(symbols).extracting(Symbol::name).containsExactly("shop", "contact.industry", "webinar", "HOT",
        "leasing-101", "Gold", "free-shipping", "VIP");
    assertThat(symbols.get(2).children()).extracting(Symbol::name).containsExactly("title", "minutes");
    assertThat(symbols.get(4).children()).extracting(Symbol::detail).containsExactly("after 1 days");
    assertThat(symbols.get(7).detail()).isEqualTo("segment rule");
    assertThat(symbols.get(7).selection()).isEqualTo(new SourceSpan("a-declarations.rules", 11, 9, 11, 14));
  }

  @Test
  void formattingIsOneEditToTheCanonicalLayoutAndNoneOnceThere() {
    String messy = "SCORING   \"s\" when contact.score>1 then add 1 to score end";
    Snapshot s = snapshot(messy);
    List<TextEdit> edits = service.format(s, "b-rules.rules");

    assertThat(edits).hasSize(1);
    assertThat(edits.get(0).range()).isEqualTo(new SourceSpan("b-rules.rules", 1, 1, 1, messy.length() + 1));
    String formatted = edits.get(0).newText();
    assertThat(formatted).isEqualTo(Formatter.format(RulesParser.parse(new Source("b", messy)).file()));
    assertThat(service.format(snapshot(formatted), "b-rules.rules")).isEmpty();
    assertThat(service.format(snapshot("scoring \"s\" when"), "b-rules.rules")).isEmpty();
  }

  @Test
  void suggestionsAreQuickFixes() {
    Snapshot s = snapshot("scoring \"s\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n");
    List<QuickFix> fixes = service.fixes(s, "b-rules.rules", new SourceSpan("b-rules.rules", 2, 10, 2, 10));

    assertThat(fixes).hasSize(1);
    assertThat(fixes.get(0).title()).isEqualTo("Change to contact.score");
    assertThat(fixes.get(0).edit()).isEqualTo(new TextEdit(new SourceSpan("b-rules.rules", 2, 6, 2, 19), "contact.score"));
    assertThat(service.fixes(s, "b-rules.rules", new SourceSpan("b-rules.rules", 4, 1, 4, 1))).isEmpty();
  }

  @Test
  void positionsCountUtf16UnitsFromOne() {
    String text = "# é😀\nab";
    assertThat(Position.of(text, 5)).isEqualTo(new Position(1, 6));
    assertThat(new Position(1, 6).offset(text)).isEqualTo(5);
    assertThat(new Position(2, 9).offset(text)).isEqualTo(text.length());
    assertThat(new Position(7, 1).offset(text)).isEqualTo(text.length());
  }
}
