package io.relais.dsl.parser;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.DurationLiteral;
import io.relais.dsl.ast.DurationLiteral.Unit;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Expr.ArithmeticOp;
import io.relais.dsl.ast.Expr.CompareOp;
import io.relais.dsl.ast.Expr.LogicalOp;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.ast.Template;
import io.relais.dsl.source.Source;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One tree per construct of docs/language.md; spans are ignored except where a test is about them. */
class ParserTreeTest {

  private static final SourceSpan NONE = SourceSpan.NONE;

  // ---- helpers ----

  static RuleFile parse(String text) {
    ParseResult result = RulesParser.parse(new Source("t.rules", text));
    assertThat(result.diagnostics()).as("diagnostics of %s", text).isEmpty();
    return result.file();
  }

  static Item item(String text) {
    List<Item> items = parse(text).items();
    assertThat(items).hasSize(1);
    return items.get(0);
  }

  static Expr cond(String condition) {
    Item.Rule rule = (Item.Rule) item("segment \"t\" when " + condition + " then tag \"x\" end");
    return rule.when().orElseThrow();
  }

  static Action action(String kind, String action) {
    Item.Rule rule = (Item.Rule) item(kind + " \"t\" then " + action + " end");
    assertThat(rule.actions()).hasSize(1);
    return rule.actions().get(0);
  }

  static void assertTree(Object actual, Object expected) {
    assertThat(actual).usingRecursiveComparison()
        .ignoringFieldsOfTypes(SourceSpan.class)
        .isEqualTo(expected);
  }

  static Name n(String text) {
    return new Name(text, NONE);
  }

  static Expr.Path path(String... parts) {
    return new Expr.Path(List.of(parts), NONE);
  }

  static Expr.NameRef ref(String name) {
    return new Expr.NameRef(name, NONE);
  }

  static Expr.NumberLit num(String value) {
    return new Expr.NumberLit(new BigDecimal(value), NONE);
  }

  static Expr.TextLit text(String value) {
    return new Expr.TextLit(value, NONE);
  }

  static DurationLiteral dur(long amount, Unit unit) {
    return new DurationLiteral(amount, unit, NONE);
  }

  static Expr.Compare cmp(CompareOp op, Expr left, Expr right) {
    return new Expr.Compare(op, left, right, NONE);
  }

  static Expr.Logical and(Expr left, Expr right) {
    return new Expr.Logical(LogicalOp.AND, left, right, NONE);
  }

  static Expr.Logical or(Expr left, Expr right) {
    return new Expr.Logical(LogicalOp.OR, left, right, NONE);
  }

  static Template tpl(String raw, Template.Part... parts) {
    return new Template(raw, List.of(parts), NONE);
  }

  // ---- file header and declarations ----

  @Nested
  class Declarations {

    @Test
    void headers() {
      RuleFile file = parse("ruleset \"acme\"\ntimezone \"Europe/Paris\"\ndefault owner \"s@a.fr\"\n");
      assertTree(file.items(), List.of(
          new Item.RulesetHeader(n("acme"), NONE),
          new Item.TimezoneHeader(n("Europe/Paris"), NONE),
          new Item.DefaultOwnerHeader(n("s@a.fr"), NONE)));
    }

    @Test
    void attribute() {
      assertTree(item("attribute contact.industry : text"),
          new Item.AttributeDecl(n("industry"), n("text"), NONE));
    }

    @Test
    void event() {
      assertTree(item("event webinar_attended { title: text, minutes: number }"),
          new Item.EventDecl(n("webinar_attended"), List.of(
              new Item.FieldDecl(n("title"), n("text"), NONE),
              new Item.FieldDecl(n("minutes"), n("number"), NONE)), NONE));
      assertTree(item("event ping { }"), new Item.EventDecl(n("ping"), List.of(), NONE));
    }

    @Test
    void defineTakesALiteral() {
      assertTree(item("define HOT = 100"), new Item.Define(n("HOT"), num("100"), NONE));
      assertTree(item("define COLD = -3"), new Item.Define(n("COLD"), num("-3"), NONE));
      assertTree(item("define PRICE = 12.50"), new Item.Define(n("PRICE"), num("12.50"), NONE));
      assertTree(item("define LAUNCH = 2026-11-27"), new Item.Define(n("LAUNCH"),
          new Expr.DateLit(LocalDate.of(2026, 11, 27), NONE), NONE));
      assertTree(item("define NAME = \"Jean\""), new Item.Define(n("NAME"), text("Jean"), NONE));
      assertTree(item("define ON = TRUE"),
          new Item.Define(n("ON"), new Expr.BoolLit(true, NONE), NONE));
    }

    @Test
    void campaign() {
      assertTree(item("""
          campaign "leasing-101"
            step "intro" after 0 days
            step "offer" after 2 weeks
            exit when contact.stage >= SQL
          end
          """), new Item.Campaign(n("leasing-101"), List.of(
              new Item.Step(n("intro"), dur(0, Unit.DAYS), NONE),
              new Item.Step(n("offer"), dur(2, Unit.WEEKS), NONE)),
          Optional.of(cmp(CompareOp.GE, path("contact", "stage"), ref("SQL"))), NONE));
      assertTree(item("campaign \"empty\" end"),
          new Item.Campaign(n("empty"), List.of(), Optional.empty(), NONE));
    }

    @Test
    void tierAndReward() {
      assertTree(item("tier \"Gold\" from 2000 points"),
          new Item.Tier(n("Gold"), new BigDecimal("2000"), Optional.empty(), NONE));
      assertTree(item("tier \"Gold\" from 2000 points earned within 365 days"),
          new Item.Tier(n("Gold"), new BigDecimal("2000"), Optional.of(dur(365, Unit.DAYS)), NONE));
      assertTree(item("reward \"free-shipping\" costs 0 points"),
          new Item.Reward(n("free-shipping"), new BigDecimal("0"), NONE));
    }
  }

  // ---- rules ----

  @Nested
  class Rules {

    @Test
    void everyPartOfTheHeader() {
      assertTree(item("""
          qualify "Hot"
            priority 10
            active from 2026-11-01 until 2026-12-31
          when contact.score > 10
          then disqualify
          end
          """), new Item.Rule(RuleKind.QUALIFY, n("Hot"), Optional.of(10),
          Optional.of(LocalDate.of(2026, 11, 1)), Optional.of(LocalDate.of(2026, 12, 31)),
          Optional.of(cmp(CompareOp.GT, path("contact", "score"), num("10"))),
          List.of(new Action.Disqualify(Optional.empty(), NONE)), NONE));
    }

    @Test
    void whenAndFromMayBeLeftOut() {
      Item.Rule rule = (Item.Rule) item("alert \"A\" until 2027-01-31 then notify owner with \"x\" end");
      assertThat(rule.when()).isEmpty();
      assertThat(rule.activeFrom()).isEmpty();
      assertThat(rule.activeUntil()).contains(LocalDate.of(2027, 1, 31));
      assertThat(rule.priority()).isEmpty();
    }

    @Test
    void everyKind() {
      for (RuleKind kind : RuleKind.values()) {
        Item.Rule rule = (Item.Rule) item(kind.keyword() + " \"r\" then send \"m\" end");
        assertThat(rule.kind()).isEqualTo(kind);
      }
    }

    @Test
    void keywordsAreCaseInsensitiveButNamesAreNot() {
      Item.Rule rule = (Item.Rule) item("SEGMENT \"Vip\" WHEN Has Tag \"VIP\" THEN Tag \"Vip\" END");
      assertTree(rule.when().orElseThrow(), new Expr.HasTag(n("VIP"), NONE));
      assertTree(rule.actions(), List.of(
          new Action.Tag(n("Vip"), Optional.empty(), Optional.empty(), NONE)));
    }

    @Test
    void negativePriority() {
      Item.Rule rule = (Item.Rule) item("scoring \"s\" priority -5 then add 1 to score end");
      assertThat(rule.priority()).contains(-5);
    }
  }

  // ---- conditions ----

  @Nested
  class Conditions {

    @Test
    void comparisons() {
      assertTree(cond("a = 1"), cmp(CompareOp.EQ, ref("a"), num("1")));
      assertTree(cond("a != 1"), cmp(CompareOp.NE, ref("a"), num("1")));
      assertTree(cond("a < 1"), cmp(CompareOp.LT, ref("a"), num("1")));
      assertTree(cond("a <= 1"), cmp(CompareOp.LE, ref("a"), num("1")));
      assertTree(cond("a > 1"), cmp(CompareOp.GT, ref("a"), num("1")));
      assertTree(cond("a >= -1"), cmp(CompareOp.GE, ref("a"), num("-1")));
      assertTree(cond("contact.stage is MQL"),
          cmp(CompareOp.IS, path("contact", "stage"), ref("MQL")));
      assertTree(cond("contact.stage is not MQL"),
          cmp(CompareOp.IS_NOT, path("contact", "stage"), ref("MQL")));
      assertTree(cond("contact.consent.email = true"),
          cmp(CompareOp.EQ, path("contact", "consent", "email"), new Expr.BoolLit(true, NONE)));
      assertTree(cond("contact.birthDate < 2000-01-01"), cmp(CompareOp.LT,
          path("contact", "birthDate"), new Expr.DateLit(LocalDate.of(2000, 1, 1), NONE)));
    }

    @Test
    void betweenInContainsMatchesEmpty() {
      assertTree(cond("contact.companySize between 5 and 500"),
          new Expr.Between(path("contact", "companySize"), num("5"), num("500"), NONE));
      assertTree(cond("contact.country in [\"FR\", \"BE\"]"), new Expr.InList(
          path("contact", "country"), List.of(text("FR"), text("BE")), false, NONE));
      assertTree(cond("contact.country not in []"),
          new Expr.InList(path("contact", "country"), List.of(), true, NONE));
      assertTree(cond("contact.company contains \"auto\""),
          new Expr.Contains(path("contact", "company"), text("auto"), NONE));
      assertTree(cond("event.url matches \"/leasing/**\""),
          new Expr.Matches(path("event", "url"), text("/leasing/**"), NONE));
      assertTree(cond("contact.firstName is empty"),
          new Expr.IsEmpty(path("contact", "firstName"), false, NONE));
      assertTree(cond("contact.firstName is not empty"),
          new Expr.IsEmpty(path("contact", "firstName"), true, NONE));
    }

    @Test
    void contactState() {
      assertTree(cond("tag \"X\" >= 3"),
          cmp(CompareOp.GE, new Expr.TagCount(n("X"), NONE), num("3")));
      assertTree(cond("has tag \"X\""), new Expr.HasTag(n("X"), NONE));
      assertTree(cond("in segment \"VIP\""), new Expr.InSegment(n("VIP"), NONE));
      assertTree(cond("event is page_visit"), new Expr.EventIs(n("page_visit"), NONE));
    }

    @Test
    void history() {
      assertTree(cond("count(page_visit) > 1"), cmp(CompareOp.GT,
          new Expr.Count(n("page_visit"), Optional.empty(), Optional.empty(), NONE), num("1")));
      assertTree(cond("count(page_visit where url matches \"/l/**\" within 7 days) >= 3"),
          cmp(CompareOp.GE, new Expr.Count(n("page_visit"),
              Optional.of(new Expr.Matches(ref("url"), text("/l/**"), NONE)),
              Optional.of(dur(7, Unit.DAYS)), NONE), num("3")));
      assertTree(cond("sum(purchase.amount within 365 days) > 1000"), cmp(CompareOp.GT,
          new Expr.Sum(n("purchase"), n("amount"), Optional.empty(),
              Optional.of(dur(365, Unit.DAYS)), NONE), num("1000")));
      assertTree(cond("sum(purchase.amount where currency = \"EUR\") > 0"), cmp(CompareOp.GT,
          new Expr.Sum(n("purchase"), n("amount"),
              Optional.of(cmp(CompareOp.EQ, ref("currency"), text("EUR"))), Optional.empty(),
              NONE), num("0")));
      assertTree(cond("days since last purchase > 90"),
          cmp(CompareOp.GT, new Expr.DaysSinceLast(n("purchase"), NONE), num("90")));
    }

    @Test
    void durationsInEveryUnitSingularOrPlural() {
      String[][] cases = {
        {"1 minute", "1", "MINUTES"}, {"30 minutes", "30", "MINUTES"},
        {"1 hour", "1", "HOURS"}, {"12 hours", "12", "HOURS"},
        {"1 day", "1", "DAYS"}, {"7 days", "7", "DAYS"},
        {"1 week", "1", "WEEKS"}, {"2 weeks", "2", "WEEKS"},
      };
      for (String[] c : cases) {
        Expr.Compare compare = (Expr.Compare) cond("count(x within " + c[0] + ") > 0");
        DurationLiteral within = ((Expr.Count) compare.left()).within().orElseThrow();
        assertThat(within.amount()).as(c[0]).isEqualTo(Long.parseLong(c[1]));
        assertThat(within.unit()).as(c[0]).isEqualTo(Unit.valueOf(c[2]));
      }
    }

    @Test
    void keywordsServeAsNamesWhereANameIsExpected() {
      assertTree(cond("event is email_open and event.campaign = \"x\""), and(
          new Expr.EventIs(n("email_open"), NONE),
          cmp(CompareOp.EQ, path("event", "campaign"), text("x"))));
      assertTree(cond("count(email_open where campaign = \"x\") > 0"), cmp(CompareOp.GT,
          new Expr.Count(n("email_open"),
              Optional.of(cmp(CompareOp.EQ, ref("campaign"), text("x"))), Optional.empty(),
              NONE), num("0")));
      assertTree(cond("contact.points > 1 and contact.tier = \"Gold\" and contact.owner is empty"
          + " and contact.score > 0 and contact.stage > LEAD and event.at > 2026-01-01"),
          cond("contact.points > 1 and contact.tier = \"Gold\" and contact.owner is empty"
          + " and contact.score > 0 and contact.stage > LEAD and event.at > 2026-01-01"));
      for (String attribute : List.of("message", "order", "items", "value", "title", "form",
          "url", "channel", "product", "amount", "points", "stage", "segment", "reward", "tier",
          "step", "at", "default", "owner", "since", "last", "send", "notify", "event")) {
        if (attribute.equals("event")) {
          continue;
        }
        assertTree(cond("x." + attribute + " = 1"),
            cmp(CompareOp.EQ, path("x", attribute), num("1")));
      }
    }

    @Test
    void afterADotAndInDeclarationsEvenReservedWordsAreNames() {
      assertTree(item("event webinar { start: datetime, end: datetime, to: text }"),
          new Item.EventDecl(n("webinar"), List.of(
              new Item.FieldDecl(n("start"), n("datetime"), NONE),
              new Item.FieldDecl(n("end"), n("datetime"), NONE),
              new Item.FieldDecl(n("to"), n("text"), NONE)), NONE));
      assertTree(item("attribute contact.from : text"),
          new Item.AttributeDecl(n("from"), n("text"), NONE));
      assertTree(cond("event.end > contact.is"),
          cmp(CompareOp.GT, path("event", "end"), path("contact", "is")));
      assertTree(cond("sum(webinar.count) > 0"), cmp(CompareOp.GT, new Expr.Sum(n("webinar"),
          n("count"), Optional.empty(), Optional.empty(), NONE), num("0")));
    }

    @Test
    void arithmeticPrecedenceAndParentheses() {
      Expr a = ref("a");
      Expr b = ref("b");
      Expr c = ref("c");
      assertTree(cond("a + b * c > 0"), cmp(CompareOp.GT, new Expr.Arithmetic(ArithmeticOp.ADD,
          a, new Expr.Arithmetic(ArithmeticOp.MULTIPLY, b, c, NONE), NONE), num("0")));
      assertTree(cond("(a + b) / c > 0"), cmp(CompareOp.GT, new Expr.Arithmetic(
          ArithmeticOp.DIVIDE, new Expr.Arithmetic(ArithmeticOp.ADD, a, b, NONE), c, NONE),
          num("0")));
      assertTree(cond("a - b - c > 0"), cmp(CompareOp.GT, new Expr.Arithmetic(
          ArithmeticOp.SUBTRACT, new Expr.Arithmetic(ArithmeticOp.SUBTRACT, a, b, NONE), c,
          NONE), num("0")));
      assertTree(cond("a - -3 > 0"), cmp(CompareOp.GT,
          new Expr.Arithmetic(ArithmeticOp.SUBTRACT, a, num("-3"), NONE), num("0")));
    }

    @Test
    void notBindsTighterThanAndWhichBindsTighterThanOr() {
      Expr a = cmp(CompareOp.EQ, ref("a"), num("1"));
      Expr b = cmp(CompareOp.EQ, ref("b"), num("1"));
      Expr c = cmp(CompareOp.EQ, ref("c"), num("1"));
      assertTree(cond("not a = 1 and b = 1 or c = 1"),
          or(and(new Expr.Not(a, NONE), b), c));
      assertTree(cond("a = 1 or b = 1 and c = 1"), or(a, and(b, c)));
      assertTree(cond("not (a = 1 or b = 1)"), new Expr.Not(or(a, b), NONE));
      assertTree(cond("a = 1 and b = 1 and c = 1"), and(and(a, b), c));
      assertTree(cond("a = 1 or b = 1 or c = 1"), or(or(a, b), c));
      assertTree(cond("((a = 1))"), a);
    }
  }

  // ---- actions ----

  @Nested
  class Actions {

    @Test
    void segmentActions() {
      assertTree(action("segment", "tag \"X\""),
          new Action.Tag(n("X"), Optional.empty(), Optional.empty(), NONE));
      assertTree(action("segment", "tag \"X\" by 2 because \"why\""),
          new Action.Tag(n("X"), Optional.of(num("2")), Optional.of(n("why")), NONE));
      assertTree(action("segment", "untag \"X\""), new Action.Untag(n("X"), Optional.empty(), NONE));
      assertTree(action("segment", "add to segment \"VIP\""),
          new Action.AddToSegment(n("VIP"), Optional.empty(), NONE));
      assertTree(action("segment", "remove from segment \"VIP\""),
          new Action.RemoveFromSegment(n("VIP"), Optional.empty(), NONE));
    }

    @Test
    void scoringActions() {
      assertTree(action("scoring", "add 5 to score"),
          new Action.AddScore(num("5"), Optional.empty(), NONE));
      assertTree(action("scoring", "subtract 10 from score"),
          new Action.SubtractScore(num("10"), Optional.empty(), NONE));
      assertTree(action("scoring", "set score to contact.score / 2"), new Action.SetScore(
          new Expr.Arithmetic(ArithmeticOp.DIVIDE, path("contact", "score"), num("2"), NONE),
          Optional.empty(), NONE));
    }

    @Test
    void qualifyActions() {
      assertTree(action("qualify", "set stage to SQL"),
          new Action.SetStage(n("SQL"), Optional.empty(), NONE));
      assertTree(action("qualify", "advance stage to SQL because \"hot\""),
          new Action.AdvanceStage(n("SQL"), Optional.of(n("hot")), NONE));
      assertTree(action("qualify", "disqualify because \"company too small\""),
          new Action.Disqualify(Optional.of(n("company too small")), NONE));
    }

    @Test
    void nurtureActions() {
      assertTree(action("nurture", "enroll in \"leasing-101\""),
          new Action.Enroll(n("leasing-101"), Optional.empty(), NONE));
      assertTree(action("nurture", "stop \"leasing-101\""),
          new Action.Stop(n("leasing-101"), Optional.empty(), NONE));
      assertTree(action("nurture", "send \"birthday-card\""), new Action.Send(
          tpl("birthday-card", new Template.Text("birthday-card")), Optional.empty(),
          Optional.empty(), NONE));
      assertTree(action("nurture", "send \"rappel\" via sms"), new Action.Send(
          tpl("rappel", new Template.Text("rappel")), Optional.of(Action.Channel.SMS),
          Optional.empty(), NONE));
    }

    @Test
    void loyaltyActions() {
      assertTree(action("loyalty", "award event.amount / 10 points expiring in 365 days"
          + " because \"purchase\""), new Action.Award(
          new Expr.Arithmetic(ArithmeticOp.DIVIDE, path("event", "amount"), num("10"), NONE),
          Optional.of(dur(365, Unit.DAYS)), Optional.of(n("purchase")), NONE));
      assertTree(action("loyalty", "award 5 points"),
          new Action.Award(num("5"), Optional.empty(), Optional.empty(), NONE));
      assertTree(action("loyalty", "deduct 50 points"),
          new Action.Deduct(num("50"), Optional.empty(), NONE));
      assertTree(action("loyalty", "grant reward \"free-shipping\""),
          new Action.GrantReward(n("free-shipping"), Optional.empty(), NONE));
    }

    @Test
    void notifyAction() {
      assertTree(action("alert", "notify owner with \"hi\""), new Action.Notify(Optional.empty(),
          Optional.empty(), tpl("hi", new Template.Text("hi")), Optional.empty(),
          Optional.empty(), NONE));
      assertTree(action("alert",
          "notify \"team@acme.fr\" via Slack with \"hi\" at most once per 1 day because \"b\""),
          new Action.Notify(Optional.of(n("team@acme.fr")), Optional.of(Action.Channel.SLACK),
              tpl("hi", new Template.Text("hi")), Optional.of(dur(1, Unit.DAYS)),
              Optional.of(n("b")), NONE));
      for (Action.Channel channel : Action.Channel.values()) {
        Action.Notify notify = (Action.Notify) action("alert",
            "notify owner via " + channel.keyword() + " with \"x\"");
        assertThat(notify.via()).contains(channel);
      }
    }

    @Test
    void templates() {
      Action.Send send = (Action.Send) action("nurture",
          "send \"Hi {{contact.firstName|you}}, see {{ event.url }}!\"");
      assertTree(send.message(), tpl("Hi {{contact.firstName|you}}, see {{ event.url }}!",
          new Template.Text("Hi "),
          new Template.Placeholder(List.of("contact", "firstName"), Optional.of("you"), NONE),
          new Template.Text(", see "),
          new Template.Placeholder(List.of("event", "url"), Optional.empty(), NONE),
          new Template.Text("!")));
    }
  }

  // ---- literals ----

  @Nested
  class Literals {

    @Test
    void stringEscapesAndUnicode() {
      Item.Define define = (Item.Define) item(
          "define S = \"a\\\"b\\\\c\\nd\\te\\u00e9 – 😀\"");
      assertTree(define.value(), text("a\"b\\c\nd\te\u00e9 – 😀"));
    }

    @Test
    void numbers() {
      assertTree(cond("a = 12.50"), cmp(CompareOp.EQ, ref("a"), num("12.50")));
      assertTree(cond("a = -3"), cmp(CompareOp.EQ, ref("a"), num("-3")));
    }

    @Test
    void commentsAreKeptForTheFormatter() {
      RuleFile file = parse("# top\nsegment \"s\" # after the name\nthen tag \"x\" end #\n");
      assertThat(file.comments()).extracting(RuleFile.Comment::text)
          .containsExactly(" top", " after the name", "");
      assertThat(file.comments().get(1).span())
          .isEqualTo(new SourceSpan("t.rules", 2, 13, 2, 29));
      assertThat(file.items()).hasSize(1);
    }
  }

  // ---- spans ----

  @Nested
  class Positions {

    @Test
    void spansOfAMultiLineFile() {
      RuleFile file = parse("""
          ruleset "x"

          qualify "Hot lead"
          when contact.score >= 100
            and tag "A" >= 3
          then advance stage to SQL because "hot"
          end
          """);
      assertThat(file.fileName()).isEqualTo("t.rules");
      Item.Rule rule = (Item.Rule) file.items().get(1);
      assertThat(rule.span()).isEqualTo(new SourceSpan("t.rules", 3, 1, 7, 4));
      assertThat(rule.name().span()).isEqualTo(new SourceSpan("t.rules", 3, 9, 3, 19));
      Expr.Logical when = (Expr.Logical) rule.when().orElseThrow();
      assertThat(when.span()).isEqualTo(new SourceSpan("t.rules", 4, 6, 5, 19));
      assertThat(when.right().span()).isEqualTo(new SourceSpan("t.rules", 5, 7, 5, 19));
      assertThat(((Expr.Compare) when.left()).left().span())
          .isEqualTo(new SourceSpan("t.rules", 4, 6, 4, 19));
      Action.AdvanceStage advance = (Action.AdvanceStage) rule.actions().get(0);
      assertThat(advance.span()).isEqualTo(new SourceSpan("t.rules", 6, 6, 6, 40));
      assertThat(advance.stage().span()).isEqualTo(new SourceSpan("t.rules", 6, 23, 6, 26));
      assertThat(advance.because().orElseThrow().span())
          .isEqualTo(new SourceSpan("t.rules", 6, 35, 6, 40));
      assertThat(file.span().line()).isEqualTo(1);
      assertThat(file.span().column()).isEqualTo(1);
    }

    @Test
    void placeholderSpanPointsInsideTheStringLiteral() {
      RuleFile file = parse("alert \"a\"\nthen\n  notify owner with \"Hi \\\"{{contact.firstName|x}}\" end");
      Action.Notify notify = (Action.Notify) ((Item.Rule) file.items().get(0)).actions().get(0);
      Template.Placeholder placeholder = (Template.Placeholder) notify.message().parts().get(1);
      // `  notify owner with "Hi \"{{` : the placeholder starts at column 27, after the escape.
      assertThat(placeholder.span()).isEqualTo(new SourceSpan("t.rules", 3, 27, 3, 50));
      assertThat(notify.message().span()).isEqualTo(new SourceSpan("t.rules", 3, 21, 3, 51));
    }

    @Test
    void columnsCountUtf16UnitsAfterCharactersOutsideTheBasicPlane() {
      RuleFile file = parse("define A = \"😀\" define B = 1");
      assertThat(file.items().get(1).span()).isEqualTo(new SourceSpan("t.rules", 1, 17, 1, 29));
    }
  }
}
