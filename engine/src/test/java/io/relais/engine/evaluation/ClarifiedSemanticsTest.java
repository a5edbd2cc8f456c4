package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two points the language clarified (docs/language.md, "Conditions" and "Campaigns, tiers and rewards"). */
class ClarifiedSemanticsTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static final CompiledRuleset HISTORY = Rulesets.compile("""
      scoring "Recent visit"
      when count(page_visit within 7 days) >= 1
      then add 1 to score
      end

      scoring "Exactly one visit"
      when count(page_visit) = 1
      then add 10 to score
      end

      scoring "Visited today"
      when days since last page_visit = 0
      then add 100 to score
      end

      scoring "Bought this year"
      when contact.frequency = 1 and contact.recency = 0
      then add 1000 to score
      end
      """);

  private static Event visit(String id, Instant at) {
    return new Event(id, "page_visit", at, Map.of("url", "/a"));
  }

  private static List<String> fired(Evaluation e) {
    return e.trace().stream().filter(Evaluation.TraceEntry::fired)
        .map(Evaluation.TraceEntry::rule).toList();
  }

  @Test
  void theTriggeringEventCountsEvenWhenItsAtIsAfterNow() {
    Event late = visit("e-1", NOW.plus(Duration.ofHours(3)));
    Evaluation e = HISTORY.evaluate(Contact.withId("c"), Optional.of(late), List.of(), NOW);
    assertThat(fired(e)).containsExactly("Recent visit", "Exactly one visit", "Visited today");
  }

  @Test
  void theTriggeringEventCountsEvenWhenItsAtIsBeforeTheWindow() {
    Event old = visit("e-1", NOW.minus(Duration.ofDays(30)));
    Evaluation e = HISTORY.evaluate(Contact.withId("c"), Optional.of(old), List.of(), NOW);
    assertThat(fired(e)).contains("Recent visit", "Exactly one visit");
  }

  @Test
  void aRecordedEventAfterNowDoesNotCount() {
    Evaluation e = HISTORY.evaluate(Contact.withId("c"), Optional.empty(),
        List.of(visit("e-1", NOW.plus(Duration.ofHours(3)))), NOW);
    assertThat(fired(e)).isEmpty();
  }

  @Test
  void anEventRecordedUnderTheTriggeringIdCountsOnce() {
    Event triggering = visit("e-1", NOW.plus(Duration.ofHours(3)));
    Event recorded = visit("e-1", NOW.minus(Duration.ofHours(1)));
    Evaluation e = HISTORY.evaluate(Contact.withId("c"), Optional.of(triggering),
        List.of(recorded), NOW);
    assertThat(fired(e)).contains("Exactly one visit");
  }

  @Test
  void aTriggeringPurchaseAfterNowIsInTheRecencyAndFrequency() {
    Event purchase = new Event("p-1", "purchase", NOW.plus(Duration.ofMinutes(5)),
        Map.of("amount", 20));
    Evaluation e = HISTORY.evaluate(Contact.withId("c"), Optional.of(purchase), List.of(), NOW);
    assertThat(fired(e)).containsExactly("Bought this year");
  }

  private static final CompiledRuleset CAMPAIGN = Rulesets.compile("""
      campaign "welcome"
        step "hello" after 0 days
        exit when has tag "BUYER"
      end

      segment "Buyer"
      when event is purchase
      then tag "BUYER"
      end

      nurture "Welcome everyone"
      then enroll in "welcome"
      end
      """);

  private static Contact enrolled(boolean active) {
    return Contact.builder().id("c")
        .enrollments(List.of(new Contact.Enrollment("welcome", NOW.minus(Duration.ofDays(3)), active)))
        .consent(new Contact.Consent(true, null)).build();
  }

  @Test
  void aCampaignExitedIsNotEnrolledAgainInTheSameEvaluation() {
    Event purchase = new Event("p-1", "purchase", NOW, Map.of("amount", 20));
    Evaluation e = CAMPAIGN.evaluate(enrolled(true), Optional.of(purchase), List.of(), NOW);
    assertThat(e.decisions()).extracting(d -> d.json().get("type"))
        .containsExactly("TAG", "EXIT");
    assertThat(e.resultingContact().enrollments()).extracting(Contact.Enrollment::active)
        .containsExactly(false);
  }

  @Test
  void aLaterEvaluationMayEnrollItAgain() {
    Evaluation e = CAMPAIGN.evaluate(enrolled(false), Optional.empty(), List.of(), NOW);
    // The step due at enrollment is decided with it.
    assertThat(e.decisions()).extracting(d -> d.json().get("type"))
        .containsExactly("ENROLL", "MESSAGE");
  }
}
