package io.relais.dsl.check;

import static io.relais.dsl.check.Trees.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.RuleLanguage;
import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckerTest {

  private static CheckResult check(String text) {
    return RuleLanguage.check("test", List.of(new Source("t.rules", text)));
  }

  private static List<String> codes(CheckResult result) {
    return result.diagnostics().stream().map(Diagnostic::code).toList();
  }

  // ---- hand-built trees ----

  @Test
  void aNegativeStepDelayIsAnError() {
    Item.Campaign c = campaign("welcome", 0, -3);
    Item.Rule enroll = rule(RuleKind.NURTURE, "Enroll", null,
        new Action.Enroll(name("welcome"), Optional.empty(), at()));
    CheckResult result = Checker.check("t", List.of(file(c, enroll)));
    assertThat(codes(result)).containsExactly(Codes.NEGATIVE_VALUE);
    assertThat(result.diagnostics().get(0).message()).isEqualTo("a step delay cannot be negative");
    assertThat(result.diagnostics().get(0).span())
        .isEqualTo(c.steps().get(1).after().span());
    assertThat(result.ruleset()).isEmpty();
  }

  @Test
  void aHandBuiltRuleIsTypedAndResolved() {
    Expr score = path("contact.score");
    Expr when = compare(Expr.CompareOp.GT, score, num(10));
    Item.Rule r = rule(RuleKind.SCORING, "Hot", when, addScore(5));
    CheckResult result = Checker.check("t", List.of(file(r)));
    assertThat(result.diagnostics()).isEmpty();
    Resolutions res = result.ruleset().orElseThrow().resolutions();
    assertThat(res.typeOf(when)).isEqualTo(ValueType.BOOLEAN);
    assertThat(res.typeOf(score)).isEqualTo(ValueType.NUMBER);
    assertThat(res.resolutionOf(score)).get().isInstanceOfSatisfying(
        Resolution.ContactField.class, f -> assertThat(f.field().name()).isEqualTo("score"));
  }

  @Test
  void aHandBuiltImpossibleComparisonWarns() {
    Expr when = compare(Expr.CompareOp.GT, path("contact.age"), num(200));
    CheckResult result = Checker.check("t", List.of(file(
        rule(RuleKind.SCORING, "Old", when, addScore(1)))));
    assertThat(codes(result)).containsExactly(Codes.NEVER_FIRES);
    assertThat(result.diagnostics().get(0).span()).isEqualTo(when.span());
    assertThat(result.ruleset()).as("warnings do not block").isPresent();
  }

  @Test
  void noFilesIsAnEmptyRuleset() {
    CheckResult result = Checker.check("empty", List.of());
    assertThat(result.diagnostics()).isEmpty();
    CheckedRuleset ruleset = result.ruleset().orElseThrow();
    assertThat(ruleset.name()).isEqualTo("empty");
    assertThat(ruleset.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(ruleset.rules()).isEmpty();
  }

  // ---- the checked ruleset ----

  @Test
  void theCheckedRulesetCarriesHeadersDeclarationsAndSortedTiers() {
    CheckedRuleset r = check("""
        ruleset "shop"
        timezone "Europe/Paris"
        default owner "sales@shop.fr"
        define BIG = 500
        attribute contact.industry : text
        event webinar { minutes: number }
        campaign "welcome"
          step "hi" after 0 days
        end
        tier "Gold" from 2000 points
        tier "Silver" from 500 points
        reward "mug" costs 100 points
        nurture "Welcome"
        then enroll in "welcome"
        end
        loyalty "Points"
        when event is purchase
        then award event.amount points
        end
        """).ruleset().orElseThrow();
    assertThat(r.name()).isEqualTo("shop");
    assertThat(r.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
    assertThat(r.defaultOwner()).contains("sales@shop.fr");
    assertThat(r.defines()).extracting(Vocabulary.Constant::name, Vocabulary.Constant::value)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("BIG", new BigDecimal("500")));
    assertThat(r.vocabulary().field("industry")).get()
        .satisfies(f -> {
          assertThat(f.type()).isEqualTo(ValueType.TEXT);
          assertThat(f.jsonPath()).isEqualTo("attributes.industry");
        });
    assertThat(r.vocabulary().eventType("webinar").orElseThrow().attribute("minutes"))
        .contains(ValueType.NUMBER);
    assertThat(r.tiers()).extracting(CheckedRuleset.Tier::name).containsExactly("Silver", "Gold");
    assertThat(r.campaign("welcome")).isPresent();
    assertThat(r.reward("mug").orElseThrow().cost()).isEqualByComparingTo("100");
    assertThat(r.rules()).extracting(CheckedRuleset.Rule::source)
        .containsExactly("t.rules:13", "t.rules:16");
    assertThat(r.rules().get(1).guardedEventTypes()).containsExactly("purchase");
  }

  @Test
  void rulesAreInPhaseThenPriorityThenPositionThenFileOrder() {
    Source a = new Source("a.rules", """
        alert "A1" then notify owner with "x" end
        scoring "A2" then add 1 to score end
        scoring "A3" priority 5 then add 1 to score end
        """);
    Source b = new Source("b.rules", """
        scoring "B1" then add 1 to score end
        segment "B2" then tag "x" end
        """);
    CheckResult result = RuleLanguage.check("t", List.of(b, a));
    assertThat(result.ruleset().orElseThrow().rules()).extracting(CheckedRuleset.Rule::name)
        .containsExactly("B2", "A3", "B1", "A2", "A1");
  }

  @Test
  void defaultsWithoutHeaders() {
    CheckedRuleset r = check("scoring \"S\" then add 1 to score end").ruleset().orElseThrow();
    assertThat(r.name()).isEqualTo("test");
    assertThat(r.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(r.defaultOwner()).isEmpty();
    assertThat(r.rules().get(0).priority()).isZero();
    assertThat(r.rules().get(0).guardedEventTypes()).isEmpty();
  }

  @Test
  void everyExpressionNodeOfACleanRulesetHasATypeAndNamesAreResolved() {
    CheckedRuleset r = check("""
        define HOT = 100
        campaign "c"
          step "s" after 0 days
          exit when contact.stage >= SQL
        end
        segment "S"
        when contact.score >= HOT and tag "T" >= 3 and contact.stage between MQL and SQL
          and (event is page_visit or event is email_click) and event.url matches "/x/**"
          and count(page_visit where seconds > 3 and url contains "a" within 7 days) > 1
          and sum(purchase.amount where currency in ["EUR"]) / 2 + 1 > 10
          and days since last purchase > 3 and not (contact.city is empty)
          and in segment "V" and has tag "T"
        then tag "T" by contact.score - 1
        end
        nurture "N" then enroll in "c" end
        """).ruleset().orElseThrow();
    Resolutions res = r.resolutions();
    Expr when = r.rules().get(0).syntax().when().orElseThrow();
    List<Expr> all = Walk.all(when);
    assertThat(all).hasSizeGreaterThan(40);
    for (Expr e : all) {
      assertThat(res.typeOf(e)).as(e.toString()).isNotNull();
      if (e instanceof Expr.Path || e instanceof Expr.NameRef || e instanceof Expr.EventIs
          || e instanceof Expr.Count || e instanceof Expr.Sum || e instanceof Expr.DaysSinceLast) {
        assertThat(res.resolutionOf(e)).as(e.toString()).isPresent();
      }
    }
    Expr exit = r.campaigns().get(0).syntax().exitWhen().orElseThrow();
    Walk.all(exit).forEach(e -> assertThat(res.typeOf(e)).isNotNull());
    var url = all.stream().filter(e -> e instanceof Expr.Path p && p.dotted().equals("event.url"))
        .findFirst().orElseThrow();
    assertThat(res.resolutionOf(url)).get().isEqualTo(new Resolution.TriggeringEventAttribute(
        Set.of("page_visit", "email_click"), "url", ValueType.TEXT));
    var seconds = all.stream()
        .filter(e -> e instanceof Expr.NameRef n && n.name().equals("seconds")).findFirst()
        .orElseThrow();
    assertThat(res.resolutionOf(seconds)).get().isEqualTo(
        new Resolution.CountedEventAttribute("page_visit", "seconds", ValueType.NUMBER));
    var mql = all.stream().filter(e -> e instanceof Expr.NameRef n && n.name().equals("MQL"))
        .findFirst().orElseThrow();
    assertThat(res.resolutionOf(mql)).get().isEqualTo(new Resolution.StageRef(Stage.MQL));
  }

  @Test
  void templatePlaceholdersAreResolved() {
    CheckedRuleset r = check("""
        define SHOP = "Acme"
        alert "A"
        when event is page_visit
        then notify owner with "{{contact.firstName|Hi}} {{event.url}} {{SHOP}}"
        end
        """).ruleset().orElseThrow();
    var notify = (Action.Notify) r.rules().get(0).syntax().actions().get(0);
    var placeholders = notify.message().parts().stream()
        .filter(p -> p instanceof io.relais.dsl.ast.Template.Placeholder)
        .map(p -> (io.relais.dsl.ast.Template.Placeholder) p).toList();
    assertThat(placeholders).extracting(p -> r.resolutions().resolutionOf(p).type())
        .containsExactly(ValueType.TEXT, ValueType.TEXT, ValueType.TEXT);
    assertThat(r.resolutions().resolutionOf(placeholders.get(2)))
        .isInstanceOf(Resolution.ConstantRef.class);
  }

  // ---- all problems at once ----

  @Test
  void threeUnrelatedErrorsGiveExactlyThreeDiagnosticsAtTheirLines() {
    CheckResult result = check("""
        scoring "First"
        when contact.scroe > 10
        then add 1 to score
        end
        segment "Second"
        then add 5 to score
        end
        nurture "Third"
        then enroll in "nowhere"
        end
        """);
    assertThat(result.diagnostics()).extracting(d -> d.span().line(), Diagnostic::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, Codes.UNKNOWN_FIELD),
            org.assertj.core.groups.Tuple.tuple(6, Codes.ACTION_NOT_ALLOWED),
            org.assertj.core.groups.Tuple.tuple(9, Codes.UNKNOWN_CAMPAIGN));
    assertThat(result.ruleset()).isEmpty();
  }

  @Test
  void anUnknownNameIsReportedOnceNotAgainByTheOperatorsAboveIt() {
    CheckResult result = check("""
        scoring "S"
        when contact.scroe + 1 > 10 and not (contact.scroe between 1 and 2)
        then add contact.nope to score
        end
        """);
    assertThat(codes(result)).containsExactly(
        Codes.UNKNOWN_FIELD, Codes.UNKNOWN_FIELD, Codes.UNKNOWN_FIELD);
  }

  @Test
  void syntaxErrorsAndCheckErrorsComeTogetherSorted() {
    Source a = new Source("a.rules", "scoring \"S\" when contact.scroe > 1 then add 1 to score end");
    Source b = new Source("b.rules", "scoring \"T\" when then add 1 to score end");
    CheckResult result = RuleLanguage.check("t", List.of(b, a));
    assertThat(result.diagnostics()).extracting(d -> d.span().file())
        .containsExactly("a.rules", "b.rules");
    assertThat(result.ruleset()).isEmpty();
  }

  @Test
  void warningsAloneKeepTheRuleset() {
    CheckResult result = check("""
        segment "S"
        when has tag "NEVER"
        then untag "X"
        end
        """);
    assertThat(codes(result)).containsExactly(Codes.TAG_NEVER_SET);
    assertThat(result.hasErrors()).isFalse();
    assertThat(result.ruleset()).isPresent();
  }

  @Test
  void aTierFromZeroPointsIsReachableWithoutAwards() {
    assertThat(check("tier \"Base\" from 0 points").diagnostics()).isEmpty();
  }

  @Test
  void repeatingAHeaderWithTheSameValueIsFine() {
    Source a = new Source("a.rules", "timezone \"Europe/Paris\"");
    Source b = new Source("b.rules", "timezone \"Europe/Paris\"\nruleset \"x\"");
    CheckResult result = RuleLanguage.check("t", List.of(a, b));
    assertThat(result.diagnostics()).isEmpty();
    assertThat(result.ruleset().orElseThrow().name()).isEqualTo("x");
  }

  @Test
  void longAndAndOrChainsNeitherOverflowTheStackNorLoseTheirGuards() {
    for (String op : List.of(" and ", " or ")) {
      StringBuilder when = new StringBuilder("event is page_visit and event.seconds > 1");
      for (int i = 0; i < 5000; i++) {
        when.append(op).append("contact.score > ").append(i);
      }
      CheckResult result = check("scoring \"S\" when " + when + " then add 1 to score end");
      assertThat(result.diagnostics()).as(op).isEmpty();
    }
  }
}
