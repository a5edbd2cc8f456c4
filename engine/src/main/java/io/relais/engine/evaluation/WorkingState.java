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
  /** The contact last made from this state: its unchanged collections are shared, not copied. */
  private Contact last;
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
    this.last = contact;
    this.score = contact.score();
    this.stage = contact.stage();
    this.tags = new LinkedHashMap<>(contact.tags());
    this.segments = new LinkedHashSet<>(contact.segments());
    this.tier = contact.tier();
    this.ledger = new ArrayList<>(contact.ledger());
    this.enrollments = new ArrayList<>(contact.enrollments());
    this.alerts = new LinkedHashMap<>(contact.alerts());
  }

  /**
   * The state as an immutable contact. A phase makes one; the collections that did not change
   * since the last one (compared in order) are that contact's, and when nothing changed it is
   * that contact itself.
   */
  Contact toContact() {
    Contact before = last;
    Map<String, Integer> t = sameInOrder(before.tags().entrySet(), tags.entrySet()) ? before.tags() : tags;
    Set<String> sg = sameInOrder(before.segments(), segments) ? before.segments() : segments;
    List<Contact.LedgerLot> l = sameInOrder(before.ledger(), ledger) ? before.ledger() : ledger;
    List<Contact.Enrollment> en = sameInOrder(before.enrollments(), enrollments) ? before.enrollments() : enrollments;
    Map<String, Instant> al = sameInOrder(before.alerts().entrySet(), alerts.entrySet()) ? before.alerts() : alerts;
    if (t == before.tags() && sg == before.segments() && l == before.ledger()
        && en == before.enrollments() && al == before.alerts() && score == before.score()
        && stage == before.stage() && tier.equals(before.tier())) {
      return before;
    }
    last = before.withState(score, stage, t, sg, tier, l, en, al);
    return last;
  }

  private static boolean sameInOrder(java.util.Collection<?> a, java.util.Collection<?> b) {
    if (a.size() != b.size()) {
      return false;
    }
    if (a.isEmpty()) {
      return true; // no iterators for the usual empty segments, alerts and enrollments
    }
    java.util.Iterator<?> i = a.iterator();
    for (Object item : b) {
      if (!item.equals(i.next())) {
        return false;
      }
    }
    return true;
  }

  BigDecimal balance(Instant now) {
    BigDecimal total = BigDecimal.ZERO;
    for (Contact.LedgerLot lot : ledger) {
      if (!lot.expiredAt(now)) {
        total = total.add(lot.points());
      }
    }
    return total;
  }

  boolean enrolled(String campaign) {
    for (Contact.Enrollment e : enrollments) {
      if (e.active() && e.campaign().equals(campaign)) {
        return true;
      }
    }
    return false;
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
