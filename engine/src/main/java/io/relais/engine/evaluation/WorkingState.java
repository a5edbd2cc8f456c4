package io.relais.engine.evaluation;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The contact's rule-managed state while one evaluation applies actions. Lives for one
 * evaluation on one thread; what leaves it is an immutable {@link Contact}.
 */
final class WorkingState {

  private final Contact original;
  int score;
  Stage stage;
  final Map<String, Integer> tags;
  final Set<String> segments;
  String tier;
  final List<Contact.LedgerLot> ledger;
  final List<Contact.Enrollment> enrollments;
  final Map<String, Instant> alerts;
  /** Campaigns exited in this evaluation: not enrolled again before the next (docs/language.md ("Campaigns, tiers and rewards")). */
  final Set<String> exited = new java.util.HashSet<>();

  WorkingState(Contact contact) {
    this.original = contact;
    this.score = contact.score();
    this.stage = contact.stage();
    this.tags = new LinkedHashMap<>(contact.tags());
    this.segments = new LinkedHashSet<>(contact.segments());
    this.tier = contact.tier();
    this.ledger = new ArrayList<>(contact.ledger());
    this.enrollments = new ArrayList<>(contact.enrollments());
    this.alerts = new LinkedHashMap<>(contact.alerts());
  }

  Contact toContact() {
    return original.withState(score, stage, tags, segments, tier, ledger, enrollments, alerts);
  }

  BigDecimal balance(Instant now) {
    return ledger.stream()
        .filter(lot -> !lot.expiredAt(now))
        .map(Contact.LedgerLot::points)
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  boolean enrolled(String campaign) {
    return enrollments.stream().anyMatch(e -> e.active() && e.campaign().equals(campaign));
  }

  void endEnrollment(String campaign) {
    exited.add(campaign);
    enrollments.replaceAll(
        e -> e.active() && e.campaign().equals(campaign)
            ? new Contact.Enrollment(e.campaign(), e.enrolledAt(), false)
            : e);
  }

  /**
   * Takes up to {@code wanted} points from unexpired lots, soonest-expiring first (lots that
   * never expire last); returns what was taken.
   */
  BigDecimal consume(BigDecimal wanted, Instant now) {
    List<Contact.LedgerLot> usable = new ArrayList<>(ledger.stream().filter(l -> !l.expiredAt(now)).toList());
    usable.sort(Comparator.comparing(
        Contact.LedgerLot::expiresAt, Comparator.nullsLast(Comparator.naturalOrder())));
    BigDecimal left = wanted;
    for (Contact.LedgerLot lot : usable) {
      if (left.signum() <= 0) {
        break;
      }
      BigDecimal take = lot.points().min(left);
      left = left.subtract(take);
      int at = ledger.indexOf(lot);
      BigDecimal remaining = lot.points().subtract(take);
      if (remaining.signum() == 0) {
        ledger.remove(at);
      } else {
        ledger.set(at, new Contact.LedgerLot(remaining, lot.earnedAt(), lot.expiresAt(), lot.reason(), lot.rule()));
      }
    }
    return wanted.subtract(left);
  }
}
