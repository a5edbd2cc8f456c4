package io.relais.engine.evaluation;

import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.source.SourceSpan;
import io.relais.engine.compile.Condition;
import io.relais.engine.compile.Trace;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.Duration;
import java.util.ListIterator;
import java.util.Optional;
import java.util.List;

/**
 * What happens between rules: campaign exits (nurture phase), expired points and tier changes
 * (loyalty phase).
 */
final class Lifecycle {

  /** A campaign's exit condition, compiled with the ruleset. */
  record CampaignExit(String campaign, Condition condition, String source) {}

  private Lifecycle() {}

  static void exitCampaigns(List<CampaignExit> exits, ContactFacts facts, WorkingState state, Effects effects) {
    for (CampaignExit exit : exits) {
      boolean holds;
      try {
        holds = state.enrolled(exit.campaign()) && exit.condition().test(facts, Trace.NONE);
      } catch (RuntimeException e) {
        effects.warn(new Decision.RuleRef("campaign " + exit.campaign(), exit.source()),
            "exit condition could not be evaluated: " + Failures.describe("campaign " + exit.campaign(), e));
        holds = false;
      }
      if (holds) {
        state.endEnrollment(exit.campaign());
        effects.decide(Decision.of(Decision.Type.EXIT, new Decision.RuleRef("campaign " + exit.campaign(), exit.source()),
            null, "campaign", exit.campaign()));
      }
    }
  }

  /**
   * Lots that expired are reported once, naming the rule that awarded them, and lose their
   * points. A lot with nothing left to spend (expired or used up) stays in the ledger while the
   * ruleset's tiers count the points earned in a window that holds it, and is dropped after.
   */
  static void expirePoints(CheckedRuleset ruleset, WorkingState state, Instant now, Effects effects) {
    Optional<Duration> window = ruleset.tierWindow();
    boolean anyChange = false;
    for (Contact.LedgerLot lot : state.ledger()) {
      anyChange |= expiring(lot, now) || (lot.spentAt(now) && !lot.inTierWindow(window, now));
    }
    if (!anyChange) {
      return; // the ledger is not copied
    }
    for (ListIterator<Contact.LedgerLot> lots = state.ledgerToChange().listIterator(); lots.hasNext(); ) {
      Contact.LedgerLot lot = lots.next();
      if (expiring(lot, now)) {
        String source = ruleset.rules().stream()
            .filter(r -> r.name().equals(lot.rule())).map(CheckedRuleset.Rule::source).findFirst().orElse("");
        effects.decide(Decision.of(Decision.Type.POINTS_EXPIRED, new Decision.RuleRef(lot.rule(), source), null,
            "points", lot.points(), "expiredAt", lot.expiresAt()));
      }
      if (lot.spentAt(now)) {
        if (lot.inTierWindow(window, now)) {
          lots.set(lot.remaining(BigDecimal.ZERO));
        } else {
          lots.remove();
        }
      }
    }
  }

  /** An expired lot with points left: reported now; after, its points are 0. */
  private static boolean expiring(Contact.LedgerLot lot, Instant now) {
    return lot.expiredAt(now) && lot.points().signum() > 0;
  }

  /**
   * The highest tier the balance (or, for tiers on points earned, the points earned in their
   * window) reaches; a change, up or down, is a TIER decision.
   */
  static void recomputeTier(CheckedRuleset ruleset, WorkingState state, Instant now, Effects effects) {
    if (ruleset.tiers().isEmpty()) {
      return;
    }
    BigDecimal balance = ruleset.tierWindow()
        .map(window -> state.earnedSince(now.minus(window)))
        .orElseGet(() -> state.balance(now));
    CheckedRuleset.Tier reached = null;
    for (CheckedRuleset.Tier tier : ruleset.tiers()) {
      if (balance.compareTo(tier.threshold()) >= 0) {
        reached = tier;
      }
    }
    String to = reached == null ? "" : reached.name();
    if (!to.equals(state.tier)) {
      String from = state.tier;
      state.tier = to;
      SourceSpan span = reached != null ? reached.span() : ruleset.tiers().get(0).span();
      effects.decide(Decision.of(Decision.Type.TIER, new Decision.RuleRef("tier " + (reached == null ? "" : reached.name()),
          span.fileAndLine()), null, "from", from, "to", to));
    }
  }

}
