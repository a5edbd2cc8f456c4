package io.relais.engine.evaluation;

import io.relais.dsl.ast.Item;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.program.Period;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides the steps of a contact's enrollments that have come due: each is decided then, on
 * the contact as it is, never at enrollment (docs/language.md "Campaigns, tiers and rewards").
 */
final class DueSteps {

  private final CheckedRuleset ruleset;
  private final List<Lifecycle.CampaignExit> exits;
  private final Outgoing outgoing;

  DueSteps(CheckedRuleset ruleset, List<Lifecycle.CampaignExit> exits, Outgoing outgoing) {
    this.ruleset = ruleset;
    this.exits = exits;
    this.outgoing = outgoing;
  }

  /** When the first step after {@code after} (exclusive) of a campaign is due, or null. */
  static Instant nextDue(CheckedRuleset.Campaign campaign, Instant enrolledAt, Instant after) {
    Instant next = null;
    for (Item.Step step : campaign.steps()) {
      Instant due = Period.of(step.after()).after(enrolledAt);
      if (due.isAfter(after) && (next == null || due.isBefore(next))) {
        next = due;
      }
    }
    return next;
  }

  void decide(String only, ContactFacts facts, WorkingState state, Effects effects) {
    Instant now = facts.now();
    for (Contact.Enrollment enrollment : List.copyOf(state.enrollments())) {
      if (!enrollment.campaign().equals(only) || !enrollment.active()
          || enrollment.nextDueAt() == null
          || enrollment.nextDueAt().isAfter(now)) {
        continue;
      }
      Optional<CheckedRuleset.Campaign> campaign = ruleset.campaign(enrollment.campaign());
      if (campaign.isEmpty()) {
        continue;
      }
      decide(campaign.get(), enrollment, facts, state, effects);
    }
  }

  private void decide(CheckedRuleset.Campaign campaign, Contact.Enrollment enrollment,
      ContactFacts facts, WorkingState state, Effects effects) {
    String name = campaign.name();
    Decision.RuleRef ref = new Decision.RuleRef("campaign " + name, campaign.span().fileAndLine());
    if (exitHolds(name, facts, ref, effects)) {
      state.endEnrollment(name);
      effects.decide(Decision.of(Decision.Type.EXIT, ref, null, "campaign", name));
      return;
    }
    Instant now = facts.now();
    // Every step due since the last one decided, in campaign order (a scheduler that did not
    // run for days decides each of them now, on the contact as it is now).
    List<Item.Step> due = new ArrayList<>();
    for (Item.Step step : campaign.steps()) {
      Instant at = Period.of(step.after()).after(enrollment.enrolledAt());
      if (!at.isBefore(enrollment.nextDueAt()) && !at.isAfter(now)) {
        due.add(step);
      }
    }
    for (Item.Step step : due) {
      Instant dueAt = Period.of(step.after()).after(enrollment.enrolledAt());
      String message = step.message().text();
      effects.decide(outgoing.decide(facts, state, ref, null, message, "email", name,
          "campaign", name, "step", message, "dueAt", dueAt));
    }
    Instant next = nextDue(campaign, enrollment.enrolledAt(), now);
    state.enrollmentsToChange().replaceAll(e -> e == enrollment
        ? new Contact.Enrollment(e.campaign(), e.enrolledAt(), true, next) : e);
  }

  private boolean exitHolds(String campaign, ContactFacts facts, Decision.RuleRef ref,
      Effects effects) {
    for (Lifecycle.CampaignExit exit : exits) {
      if (exit.campaign().equals(campaign)) {
        try {
          return exit.condition().test(facts, Trace.NONE);
        } catch (RuntimeException e) {
          effects.warn(ref, "exit condition could not be evaluated: "
              + Failures.describe(ref.name(), e));
          return false;
        }
      }
    }
    return false;
  }
}
