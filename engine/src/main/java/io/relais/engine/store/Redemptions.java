package io.relais.engine.store;

import io.relais.dsl.check.CheckedRuleset;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Contact.LedgerLot;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rewards redeemed through the API: the reward's cost (from the ruleset's declaration) comes
 * off the unexpired lots that expire soonest, never-expiring lots last. The balance is read and
 * written with one conditional write, retried on a concurrent change, so concurrent
 * redemptions never take more than there is.
 */
public final class Redemptions {

  private final ContactStore contacts;
  private final Clock clock;
  private final EventSettings settings;

  public Redemptions(ContactStore contacts, Clock clock, EventSettings settings) {
    this.contacts = contacts;
    this.clock = clock;
    this.settings = settings;
  }

  /** What a redemption gave. */
  public sealed interface Result {}

  /** Redeemed: {@code balance} is what remains. */
  public record Redeemed(String reward, BigDecimal cost, BigDecimal balance, Contact contact) implements Result {}

  /** The balance does not cover the cost; nothing changed. */
  public record TooLow(String reward, BigDecimal cost, BigDecimal balance) implements Result {}

  /** The ruleset declares no such reward. */
  public record UnknownReward(String reward) implements Result {}

  /** No contact with that id. */
  public record UnknownContact(String contactId) implements Result {}

  /** Redeems {@code reward} of {@code ruleset} for contact {@code contactId}. */
  public Result redeem(String contactId, String reward, CheckedRuleset ruleset) {
    if (ruleset.reward(reward).isEmpty()) {
      return new UnknownReward(reward);
    }
    // This call's mark in the contact document: a write of it answered 409 may have been applied.
    String id = UUID.randomUUID().toString();
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Instant now = clock.instant();
      Optional<StoredContact> read = contacts.resolve(contactId); // an alias: the contact merged into
      if (read.isEmpty()) {
        return new UnknownContact(contactId);
      }
      StoredContact stored = read.get();
      if (ContactDocuments.redemptions(stored.extras()).contains(id)) {
        // Applied, then answered 409 (sent again after a fail-over): redeemed once, as asked.
        return new Redeemed(reward, ruleset.reward(reward).orElseThrow().cost(),
            ContactDocuments.balance(stored.contact(), now), stored.contact());
      }
      Result result = redeem(stored.contact(), reward, ruleset, now);
      if (!(result instanceof Redeemed redeemed)) {
        return result;
      }
      Map<String, Object> extras = new LinkedHashMap<>(stored.extras());
      extras.put(ContactDocuments.REDEMPTIONS, ContactDocuments.withRedemption(stored.extras(), id));
      if (contacts.write(stored, redeemed.contact(), stored.outbox(), stored.recent(), extras, now)) {
        return result;
      }
      EventRecorder.backoff(attempt, settings);
    }
    throw new ContactBusyException(contactId, settings.maxAttempts());
  }

  /** What redeeming {@code reward} does to contact {@code c} at {@code now}, nothing stored. */
  public static Result redeem(Contact c, String reward, CheckedRuleset ruleset, Instant now) {
    Optional<CheckedRuleset.Reward> declared = ruleset.reward(reward);
    if (declared.isEmpty()) {
      return new UnknownReward(reward);
    }
    BigDecimal cost = declared.get().cost();
    BigDecimal balance = ContactDocuments.balance(c, now);
    if (balance.compareTo(cost) < 0) {
      return new TooLow(reward, cost, balance);
    }
    Contact next = c.withState(c.score(), c.stage(), c.tags(), c.segments(), c.tier(),
        consume(c.ledger(), cost, now, ruleset.tierWindow()), c.enrollments(), c.alerts());
    return new Redeemed(reward, cost, balance.subtract(cost), next);
  }

  /**
   * The ledger after taking {@code amount} from the unexpired lots, soonest to expire first;
   * a used-up lot stays while tiers on points earned within {@code tierWindow} count it.
   */
  static List<LedgerLot> consume(List<LedgerLot> ledger, BigDecimal amount, Instant now,
      Optional<Duration> tierWindow) {
    List<LedgerLot> order = new ArrayList<>(ledger);
    order.sort(Comparator.comparing((LedgerLot lot) -> lot.expiresAt() == null ? Instant.MAX : lot.expiresAt()));
    BigDecimal left = amount;
    List<LedgerLot> taken = new ArrayList<>();
    for (LedgerLot lot : order) {
      if (left.signum() > 0 && !lot.expiredAt(now) && lot.points().signum() > 0) {
        BigDecimal take = lot.points().min(left);
        left = left.subtract(take);
        taken.add(lot.remaining(lot.points().subtract(take)));
      } else {
        taken.add(lot);
      }
    }
    // Keep the ledger's own order; drop lots that are used up, unless a tier window counts them.
    List<LedgerLot> result = new ArrayList<>();
    for (LedgerLot lot : ledger) {
      LedgerLot after = taken.get(indexOf(order, lot));
      if (after.points().signum() > 0 || after.inTierWindow(tierWindow, now)) {
        result.add(after);
      }
    }
    return result;
  }

  private static int indexOf(List<LedgerLot> lots, LedgerLot lot) {
    for (int i = 0; i < lots.size(); i++) {
      if (lots.get(i) == lot) {
        return i;
      }
    }
    throw new IllegalStateException("lot not found");
  }
}
