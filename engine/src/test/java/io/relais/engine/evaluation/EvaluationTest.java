package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static Contact contact(String id) {
    return Contact.withId(id);
  }

  private static Contact jean() {
    return Contact.builder().id("c-42").email("jean@example.fr").firstName("Jean")
        .owner("marc@acme.fr").score(99).stage(Stage.MQL).tags(Map.of("FINANCING_LEASING", 2))
        .consent(new Contact.Consent(true, null)).build();
  }

  private static Contact withConsent(Contact c, boolean email) {
    return c.toBuilder().consent(new Contact.Consent(email, null)).build();
  }

  private static Event visit(String url) {
    return new Event("e-1", "page_visit", NOW, Map.of("url", url));
  }

  private static Evaluation run(CompiledRuleset rules, Contact contact, Event event) {
    return rules.evaluate(contact, Optional.ofNullable(event), List.of(), NOW);
  }

  private static List<Map<String, Object>> json(Evaluation evaluation) {
    return evaluation.decisions().stream().map(Decision::json).toList();
  }

  private static final String ACME =
      """
      ruleset "acme-auto"
      timezone "Europe/Paris"
      default owner "sales@acme-auto.fr"
      define HOT = 100

      segment "Leasing pages"
      when event is page_visit and event.url matches "/financing/leasing/**"
      then tag "FINANCING_LEASING"
      end

      scoring "Website visit"
      when event is page_visit
      then add 1 to score
      end

      qualify "Hot leasing lead"
      when contact.score >= HOT and tag "FINANCING_LEASING" >= 3
      then advance stage to SQL because "score and leasing interest"
      end

      nurture "Leasing education"
      when has tag "FINANCING_LEASING" and contact.stage < SQL
      then enroll in "leasing-101"
      end

      campaign "leasing-101"
        step "leasing-intro" after 0 days
        step "leasing-benefits" after 3 days
        exit when contact.stage >= SQL
      end

      alert "Hot lead back on site"
      when contact.stage >= SQL and event is page_visit
      then notify owner with "{{contact.firstName|A lead}} is back on {{event.url}}" at most once per 1 day
      end
      """;

  @Test
  void aVisitTagsScoresQualifiesAndAlertsInPhaseOrder() {
    Evaluation result = run(Rulesets.compile(ACME), jean(), visit("/financing/leasing/offers"));

    assertThat(json(result))
        .containsExactly(
            Map.of("type", "TAG", "tag", "FINANCING_LEASING", "delta", 1, "count", 3,
                "rule", "Leasing pages", "source", "test.rules:6"),
            Map.of("type", "SCORE", "delta", 1, "score", 100, "rule", "Website visit",
                "source", "test.rules:11"),
            Map.of("type", "STAGE", "from", Stage.MQL, "to", Stage.SQL, "rule", "Hot leasing lead",
                "source", "test.rules:16", "reason", "score and leasing interest"),
            Map.of("type", "ALERT", "to", "marc@acme.fr", "channel", "email",
                "message", "Jean is back on /financing/leasing/offers",
                "rule", "Hot lead back on site", "source", "test.rules:32"));
    assertThat(result.contact().score()).isEqualTo(100);
    assertThat(result.contact().stage()).isEqualTo(Stage.SQL);
    assertThat(result.trace())
        .filteredOn(t -> t.rule().equals("Hot leasing lead"))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.fired()).isTrue();
          assertThat(t.why()).isEqualTo("contact.score = 100 >= 100; tag FINANCING_LEASING = 3 >= 3");
        });
  }

  @Test
  void rulesOfAPhaseSeeTheStateAsThePhaseBegan() {
    CompiledRuleset rules = Rulesets.compile("""
        scoring "Reset"
        when contact.score >= 10
        then set score to 0
        end

        scoring "Bonus"
        when contact.score >= 10
        then add 5 to score
        end
        """);
    Contact ten = new WorkingStateFixture(contact("c")).score(10).build();

    Evaluation result = run(rules, ten, null);

    assertThat(result.trace()).allMatch(Evaluation.TraceEntry::fired);
    assertThat(result.contact().score()).isEqualTo(5);
  }

  @Test
  void aLaterPhaseSeesWhatAnEarlierOneDid() {
    CompiledRuleset rules = Rulesets.compile("""
        qualify "Engaged"
        when contact.score >= 5
        then advance stage to MQL
        end

        scoring "Visit"
        when event is page_visit
        then add 5 to score
        end
        """);

    Evaluation result = run(rules, contact("c"), visit("/"));

    assertThat(result.contact().stage()).isEqualTo(Stage.MQL);
  }

  @Test
  void eachRuleFiresAtMostOnce() {
    CompiledRuleset rules = Rulesets.compile("""
        segment "Keeps tagging"
        when tag "LOOP" >= 0
        then tag "LOOP"
        end
        """);

    Evaluation result = run(rules, contact("c"), null);

    assertThat(result.decisions()).hasSize(1);
    assertThat(result.contact().tags()).containsEntry("LOOP", 1);
  }

  @Test
  void amountsAreFlooredAndEmptyAmountsSkippedWithAWarning() {
    CompiledRuleset rules = Rulesets.compile("""
        scoring "Third of the basket"
        when event is purchase
        then add event.amount / 3 to score
        end

        scoring "Items"
        when event is purchase
        then add event.items to score
        end
        """);
    Event purchase = new Event("p", "purchase", NOW, Map.of("amount", 100));

    Evaluation result = run(rules, contact("c"), purchase);

    assertThat(result.contact().score()).isEqualTo(33);
    assertThat(result.warnings()).singleElement().asString().contains("Items").contains("empty");
  }

  @Test
  void advanceOnlyMovesForwardAndNeverLeavesCustomerOrDisqualified() {
    CompiledRuleset rules = Rulesets.compile("""
        qualify "Advance"
        then advance stage to SQL
        end
        """);

    assertThat(run(rules, new WorkingStateFixture(contact("a")).stage(Stage.LEAD).build(), null).contact().stage())
        .isEqualTo(Stage.SQL);
    assertThat(run(rules, new WorkingStateFixture(contact("b")).stage(Stage.OPPORTUNITY).build(), null).contact().stage())
        .isEqualTo(Stage.OPPORTUNITY);
    assertThat(run(rules, new WorkingStateFixture(contact("c")).stage(Stage.CUSTOMER).build(), null).contact().stage())
        .isEqualTo(Stage.CUSTOMER);
    assertThat(run(rules, new WorkingStateFixture(contact("d")).stage(Stage.DISQUALIFIED).build(), null).contact().stage())
        .isEqualTo(Stage.DISQUALIFIED);
  }

  @Test
  void noEmailConsentSuppressesEnrollmentsAndMessages() {
    CompiledRuleset rules = Rulesets.compile("""
        campaign "welcome"
          step "hello" after 0 days
        end

        nurture "Welcome"
        then
          enroll in "welcome"
          send "hello-now"
        end
        """);

    Evaluation without = run(rules, contact("c"), null);
    Evaluation with = run(rules, withConsent(contact("c"), true), null);

    assertThat(without.decisions()).extracting(Decision::type).containsExactly(Decision.Type.SUPPRESSED, Decision.Type.SUPPRESSED);
    assertThat(without.decisions().get(0).fields())
        .containsEntry("of", "ENROLL").containsEntry("reason", "no email consent");
    assertThat(without.resultingContact().enrollments()).isEmpty();
    // The step due at enrollment ("hello"), then the send.
    assertThat(with.decisions()).extracting(Decision::type).containsExactly(
        Decision.Type.ENROLL, Decision.Type.MESSAGE, Decision.Type.MESSAGE);
    assertThat(with.decisions().get(1).fields()).containsEntry("step", "hello");
    assertThat(with.resultingContact().enrollments()).singleElement()
        .satisfies(e -> assertThat(e.campaign()).isEqualTo("welcome"));
  }

  @Test
  void enrollingTwiceDoesNothingAndExitConditionsEndEnrollments() {
    CompiledRuleset rules = Rulesets.compile("""
        campaign "leasing-101"
          step "intro" after 0 days
          step "offer" after 7 days
          exit when contact.stage >= SQL
        end

        nurture "Enroll"
        when contact.stage < SQL
        then enroll in "leasing-101"
        end

        qualify "Qualify"
        when contact.score >= 100
        then advance stage to SQL
        end
        """);
    Contact first = run(rules, withConsent(contact("c"), true), null).resultingContact();

    Evaluation again = run(rules, first, null);
    Contact hot = new WorkingStateFixture(first).score(100).build();
    Evaluation exit = run(rules, hot, null);

    assertThat(again.decisions()).isEmpty();
    assertThat(exit.decisions()).extracting(Decision::type).containsExactly(Decision.Type.STAGE, Decision.Type.EXIT);
    assertThat(exit.resultingContact().enrollments()).singleElement()
        .satisfies(e -> assertThat(e.active()).isFalse());
  }

  @Test
  void alertsGoToTheOwnerElseTheDefaultOwnerElseNowhere() {
    String alert = """
        alert "Back"
        when event is page_visit
        then notify owner with "back"
        end
        """;
    CompiledRuleset withDefault = Rulesets.compile("default owner \"sales@acme.fr\"\n" + alert);
    CompiledRuleset withoutDefault = Rulesets.compile(alert);

    assertThat(run(withDefault, jean(), visit("/")).decisions().get(0).field("to")).isEqualTo("marc@acme.fr");
    assertThat(run(withDefault, contact("c"), visit("/")).decisions().get(0).field("to")).isEqualTo("sales@acme.fr");
    Decision none = run(withoutDefault, contact("c"), visit("/")).decisions().get(0);
    assertThat(none.type()).isEqualTo(Decision.Type.SUPPRESSED);
    assertThat(none.field("of")).isEqualTo("ALERT");
  }

  @Test
  void alertsAreThrottledPerRuleAndContact() {
    CompiledRuleset rules = Rulesets.compile("""
        alert "Back"
        when event is page_visit
        then notify "sales@acme.fr" via slack with "back" at most once per 1 day
        end
        """);
    Contact afterFirst = run(rules, contact("c"), visit("/")).resultingContact();

    Evaluation soon = rules.evaluate(afterFirst, Optional.of(visit("/")), List.of(), NOW.plus(Duration.ofHours(23)));
    Evaluation later = rules.evaluate(afterFirst, Optional.of(visit("/")), List.of(), NOW.plus(Duration.ofHours(24)));

    assertThat(afterFirst.alerts()).containsEntry("Back", NOW);
    assertThat(soon.decisions()).singleElement().satisfies(d -> {
      assertThat(d.type()).isEqualTo(Decision.Type.SUPPRESSED);
      assertThat(d.field("reason")).isEqualTo("throttled");
    });
    assertThat(later.decisions()).extracting(Decision::type).containsExactly(Decision.Type.ALERT);
  }

  private static final String LOYALTY = """
      tier "Silver" from 500 points
      tier "Gold" from 2000 points
      reward "gift" costs 300 points

      loyalty "Points for purchases"
      when event is purchase
      then award event.amount points expiring in 365 days because "purchase"
      end

      loyalty "Refund"
      when event is form_submit and event.form = "refund"
      then deduct 700 points
      end

      loyalty "Gift"
      when event is form_submit and event.form = "gift"
      then grant reward "gift"
      end
      """;

  private static Contact.LedgerLot lot(int points, String expiresAt) {
    return new Contact.LedgerLot(BigDecimal.valueOf(points), NOW.minus(Duration.ofDays(30)),
        expiresAt == null ? null : Instant.parse(expiresAt), "earlier", "Points for purchases");
  }

  @Test
  void awardsAddLotsAndTiersGoUp() {
    Evaluation result = run(Rulesets.compile(LOYALTY), contact("c"),
        new Event("p", "purchase", NOW, Map.of("amount", 650)));

    assertThat(result.decisions()).extracting(Decision::type).containsExactly(Decision.Type.POINTS, Decision.Type.TIER);
    assertThat(result.decisions().get(0).fields())
        .containsEntry("delta", 650).containsEntry("balance", BigDecimal.valueOf(650))
        .containsEntry("expiresAt", NOW.plus(Duration.ofDays(365)));
    assertThat(result.decisions().get(1).fields()).containsEntry("from", "").containsEntry("to", "Silver");
  }

  @Test
  void deductionsTakeTheSoonestExpiringLotsFirstAndTiersGoDown() {
    // 300 expiring first, then 400; the lot that never expires is used last.
    Contact silver = new WorkingStateFixture(contact("c")).tier("Silver").ledger(List.of(
        lot(400, "2027-06-01T00:00:00Z"), lot(300, "2026-12-01T00:00:00Z"), lot(200, null))).build();

    Evaluation result = run(Rulesets.compile(LOYALTY), silver,
        new Event("f", "form_submit", NOW, Map.of("form", "refund")));

    assertThat(result.resultingContact().ledger())
        .extracting(l -> l.points().intValue(), l -> l.expiresAt())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(200, null));
    assertThat(result.decisions().get(0).fields()).containsEntry("delta", BigDecimal.valueOf(-700));
    assertThat(result.decisions().get(1).fields()).containsEntry("from", "Silver").containsEntry("to", "");
    assertThat(result.contact().tier()).isEqualTo("");
  }

  @Test
  void aDeductionNeverTakesTheBalanceBelowZero() {
    Contact poor = new WorkingStateFixture(contact("c")).ledger(List.of(lot(100, null))).build();

    Evaluation result = run(Rulesets.compile(LOYALTY), poor,
        new Event("f", "form_submit", NOW, Map.of("form", "refund")));

    assertThat(result.contact().points()).isEqualByComparingTo("0");
    assertThat(result.decisions().get(0).field("delta")).isEqualTo(BigDecimal.valueOf(-100));
    assertThat(result.warnings()).singleElement().asString().contains("cut to 100");
  }

  @Test
  void expiredLotsAreReportedOnceAndDoNotCount() {
    Contact contact = new WorkingStateFixture(contact("c")).ledger(List.of(
        lot(500, "2026-11-01T00:00:00Z"), lot(100, null))).build();

    Evaluation first = run(Rulesets.compile(LOYALTY), contact, null);
    Evaluation second = run(Rulesets.compile(LOYALTY), first.resultingContact(), null);

    assertThat(first.decisions()).extracting(Decision::type).containsExactly(Decision.Type.POINTS_EXPIRED);
    assertThat(first.decisions().get(0).rule()).isEqualTo("Points for purchases");
    assertThat(first.decisions().get(0).field("points")).isEqualTo(BigDecimal.valueOf(500));
    assertThat(first.contact().points()).isEqualByComparingTo("100");
    assertThat(second.decisions()).isEmpty();
  }

  private static final String EARNED = LOYALTY
      .replace("tier \"Silver\" from 500 points", "tier \"Silver\" from 500 points earned within 365 days")
      .replace("tier \"Gold\" from 2000 points", "tier \"Gold\" from 2000 points earned within 365 days");

  private static Contact.LedgerLot earned(int points, int daysAgo, String expiresAt) {
    return new Contact.LedgerLot(BigDecimal.valueOf(points), NOW.minus(Duration.ofDays(daysAgo)),
        expiresAt == null ? null : Instant.parse(expiresAt), "earlier", "Points for purchases");
  }

  @Test
  void tiersOnPointsEarnedCountWhatWasSpentAndKeepUsedUpLotsWhileTheWindowHoldsThem() {
    Contact silver = new WorkingStateFixture(contact("c")).tier("Silver").ledger(List.of(
        earned(400, 30, "2027-06-01T00:00:00Z"), earned(300, 10, "2026-12-01T00:00:00Z"))).build();

    Evaluation refund = run(Rulesets.compile(EARNED), silver,
        new Event("f", "form_submit", NOW, Map.of("form", "refund")));

    assertThat(refund.contact().points()).isEqualByComparingTo("0");
    assertThat(refund.decisions()).extracting(Decision::type).containsExactly(Decision.Type.POINTS);
    assertThat(refund.contact().tier()).isEqualTo("Silver");
    assertThat(refund.resultingContact().ledger())
        .extracting(l -> l.points().intValue(), l -> l.earned().intValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 400), org.assertj.core.groups.Tuple.tuple(0, 300));
    // Balance-based tiers drop used-up lots at once and fall.
    assertThat(run(Rulesets.compile(LOYALTY), silver,
        new Event("f", "form_submit", NOW, Map.of("form", "refund"))).resultingContact().ledger()).isEmpty();
  }

  @Test
  void tiersOnPointsEarnedForgetLotsEarnedBeforeTheWindowAndExpiredLotsAreReportedOnce() {
    Contact gold = new WorkingStateFixture(contact("c")).tier("Gold").ledger(List.of(
        earned(1800, 400, null), earned(600, 200, "2026-11-01T00:00:00Z"))).build();

    Evaluation first = run(Rulesets.compile(EARNED), gold, null);
    Evaluation second = run(Rulesets.compile(EARNED), first.resultingContact(), null);

    assertThat(first.decisions()).extracting(Decision::type)
        .containsExactly(Decision.Type.POINTS_EXPIRED, Decision.Type.TIER);
    assertThat(first.decisions().get(1).fields()).containsEntry("from", "Gold").containsEntry("to", "Silver");
    assertThat(first.contact().points()).isEqualByComparingTo("1800");
    // The expired lot stays (it still counts 600 earned) with no points left; the old one still spends.
    assertThat(first.resultingContact().ledger())
        .extracting(l -> l.points().intValue(), l -> l.earned().intValue())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1800, 1800), org.assertj.core.groups.Tuple.tuple(0, 600));
    assertThat(second.decisions()).isEmpty();
    assertThat(rulesAt(first.resultingContact(), NOW.plus(Duration.ofDays(166))).resultingContact().ledger())
        .extracting(l -> l.points().intValue()).containsExactly(1800);
  }

  private static Evaluation rulesAt(Contact contact, Instant at) {
    return Rulesets.compile(EARNED).evaluate(contact, Optional.empty(), List.of(), at);
  }

  @Test
  void aRewardNeedsTheBalance() {
    Contact poor = new WorkingStateFixture(contact("c")).ledger(List.of(lot(299, null))).build();
    Contact rich = new WorkingStateFixture(contact("c")).ledger(List.of(lot(301, null))).build();
    Event gift = new Event("f", "form_submit", NOW, Map.of("form", "gift"));

    assertThat(run(Rulesets.compile(LOYALTY), poor, gift).decisions().get(0).field("reason")).isEqualTo("balance too low");
    assertThat(run(Rulesets.compile(LOYALTY), rich, gift).contact().points()).isEqualByComparingTo("1");
  }

  @Test
  void activeDatesAreInclusiveDaysInTheRulesetsZone() {
    CompiledRuleset rules = Rulesets.compile("""
        timezone "Europe/Paris"
        segment "Black Friday"
          active from 2026-11-27 until 2026-11-27
        then tag "BF"
        end
        """);

    // 23:30 UTC on the 26th is already the 27th in Paris; 23:30 UTC on the 27th is the 28th.
    assertThat(rules.evaluate(contact("c"), Optional.empty(), List.of(), Instant.parse("2026-11-26T23:30:00Z")).decisions()).hasSize(1);
    assertThat(rules.evaluate(contact("c"), Optional.empty(), List.of(), Instant.parse("2026-11-26T22:30:00Z")).decisions()).isEmpty();
    Evaluation after = rules.evaluate(contact("c"), Optional.empty(), List.of(), Instant.parse("2026-11-27T23:30:00Z"));
    assertThat(after.decisions()).isEmpty();
    assertThat(after.trace().get(0).why()).isEqualTo("not active on 2026-11-28");
  }

  @Test
  void leapDayBirthdaysAreCelebratedOnThe28thInOtherYears() {
    CompiledRuleset rules = Rulesets.compile("""
        segment "Birthday"
        when contact.isBirthday
        then tag "BIRTHDAY"
        end
        """);
    Contact leap = new WorkingStateFixture(contact("c")).birthDate(LocalDate.of(1996, 2, 29)).build();

    assertThat(rules.evaluate(leap, Optional.empty(), List.of(), Instant.parse("2027-02-28T12:00:00Z")).decisions()).hasSize(1);
    assertThat(rules.evaluate(leap, Optional.empty(), List.of(), Instant.parse("2027-03-01T12:00:00Z")).decisions()).isEmpty();
    assertThat(rules.evaluate(leap, Optional.empty(), List.of(), Instant.parse("2028-02-28T12:00:00Z")).decisions()).isEmpty();
    assertThat(rules.evaluate(leap, Optional.empty(), List.of(), Instant.parse("2028-02-29T12:00:00Z")).decisions()).hasSize(1);
  }

  @Test
  void ageCountsWholeYearsInTheRulesetsZone() {
    CompiledRuleset rules = Rulesets.compile("""
        timezone "Asia/Tokyo"
        segment "Adult"
        when contact.age >= 18 and contact.age is not 19
        then tag "ADULT"
        end
        """);
    Contact born = new WorkingStateFixture(contact("c")).birthDate(LocalDate.of(2008, 11, 23)).build();

    // 2026-11-22T16:00Z is already the 23rd in Tokyo: the 18th birthday.
    assertThat(rules.evaluate(born, Optional.empty(), List.of(), Instant.parse("2026-11-22T16:00:00Z")).decisions()).hasSize(1);
    assertThat(rules.evaluate(born, Optional.empty(), List.of(), Instant.parse("2026-11-22T14:00:00Z")).decisions()).isEmpty();
    assertThat(rules.evaluate(born, Optional.empty(), List.of(), Instant.parse("2027-12-01T00:00:00Z")).decisions()).isEmpty();
  }

  @Test
  void templatesFallBackWhenAValueIsEmpty() {
    CompiledRuleset rules = Rulesets.compile("""
        alert "Back"
        when event is page_visit and in segment "Fleet"
        then notify "sales@acme.fr" with "{{contact.firstName|A lead}} from {{contact.company|an account}} on {{event.url}}"
        end
        """);
    Contact fleet = Contact.withId("c").withState(0, Stage.LEAD, Map.of(), java.util.Set.of("Fleet"), "",
        List.of(), List.of(), Map.of());

    Evaluation result = run(rules, fleet, visit("/pricing"));

    assertThat(result.decisions()).singleElement()
        .satisfies(d -> assertThat(d.field("message")).isEqualTo("A lead from an account on /pricing"));
    assertThat(run(rules, contact("c"), visit("/pricing")).decisions()).isEmpty();
  }

  @Test
  void ruleNamesThatLookLikeCodeAreJustNames() {
    String name = "\") then System.exit(1); end rule \"x";
    CompiledRuleset rules = Rulesets.compile(
        "segment \"\\\") then System.exit(1); end rule \\\"x\"\nthen tag \"Ünïcödé ✓\"\nend\n");

    Evaluation result = run(rules, contact("c"), null);

    assertThat(result.decisions()).singleElement().satisfies(d -> {
      assertThat(d.rule()).isEqualTo(name);
      assertThat(d.field("tag")).isEqualTo("Ünïcödé ✓");
    });
  }

  @Test
  void aThousandRulesBuildIntoOneKieBase() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1000; i++) {
      text.append("scoring \"Rule ").append(i).append("\"\nwhen event is page_visit and event.url matches \"/p/")
          .append(i).append("/**\"\nthen add 1 to score\nend\n");
    }
    long start = System.nanoTime();
    CompiledRuleset rules = Rulesets.compile(text.toString());
    System.out.printf("1,000 rules checked and compiled in %.0f ms%n", (System.nanoTime() - start) / 1e6);

    Evaluation result = run(rules, contact("c"), visit("/p/617/x"));

    assertThat(result.decisions()).singleElement().satisfies(d -> assertThat(d.rule()).isEqualTo("Rule 617"));
  }
}
