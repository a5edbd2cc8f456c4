package io.relais.engine.evaluation;

import io.relais.dsl.ast.Stage;
import io.relais.engine.contact.Contact;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contact's rule-managed state while one evaluation applies actions. Lives for one
 * evaluation on one thread; what leaves it is an immutable {@link Contact}.
 */
final class WorkingState {

  /** The contact last made from this state: its unchanged collections are shared, not copied. */
  private Contact last;
  int score;
  Stage stage;
  String tier;
  /** Campaigns exited in this evaluation: not enrolled again before the next (docs/language.md ("Campaigns, tiers and rewards")). */
  final Set<String> exited = new java.util.HashSet<>();

  // Copied on the first change only: most evaluations change a collection or two, and an
  // unchanged one is read from the last contact (its frozen collection), never copied or
  // compared. A copy, once made, is kept for the rest of the evaluation; `changed` says
  // whether it may differ from the last contact's.
  private Map<String, Integer> tags;
  private Set<String> segments;
  private List<Contact.LedgerLot> ledger;
  private List<Contact.Enrollment> enrollments;
  private Map<String, Instant> alerts;
  private boolean tagsChanged;
  private boolean segmentsChanged;
  private boolean ledgerChanged;
  private boolean enrollmentsChanged;
  private boolean alertsChanged;
  /** The message memory, copied on the first message of the evaluation; null while unchanged. */
  private List<Contact.SentMessage> messages;
  // The balance at balanceAt, or null: each award of a phase reports the balance, and summing
  // the whole ledger for each was half of an award's cost.
  private BigDecimal balance;
  private Instant balanceAt;

  /** The window tiers count earned points in (empty: the balance): used-up lots it holds stay. */
  private final Optional<Duration> tierWindow;

  WorkingState(Contact contact) {
    this(contact, Optional.empty());
  }

  WorkingState(Contact contact, Optional<Duration> tierWindow) {
    this.last = contact;
    this.tierWindow = tierWindow;
    this.score = contact.score();
    this.stage = contact.stage();
    this.tier = contact.tier();
  }

  /** The tags as they are now; read only (change them through {@link #tagsToChange()}). */
  Map<String, Integer> tags() {
    return tags != null ? tags : last.tags();
  }

  Map<String, Integer> tagsToChange() {
    if (tags == null) {
      tags = new LinkedHashMap<>(last.tags());
    }
    tagsChanged = true;
    return tags;
  }

  Set<String> segments() {
    return segments != null ? segments : last.segments();
  }

  Set<String> segmentsToChange() {
    if (segments == null) {
      segments = new LinkedHashSet<>(last.segments());
    }
    segmentsChanged = true;
    return segments;
  }

  List<Contact.LedgerLot> ledger() {
    return ledger != null ? ledger : last.ledger();
  }

  /**
   * The ledger, to change. The balance known so far is forgotten: make the changes before
   * asking for {@link #balance} again.
   */
  List<Contact.LedgerLot> ledgerToChange() {
    if (ledger == null) {
      ledger = new ArrayList<>(last.ledger());
    }
    ledgerChanged = true;
    balance = null;
    return ledger;
  }

  /** Adds an awarded lot; a balance known before stays known (no pass over the ledger). */
  void award(Contact.LedgerLot lot, Instant now) {
    BigDecimal known = balance != null && now.equals(balanceAt) ? balance : null;
    ledgerToChange().add(lot);
    if (known != null) {
      balance = lot.expiredAt(now) ? known : known.add(lot.points());
      balanceAt = now;
    }
  }

  List<Contact.Enrollment> enrollments() {
    return enrollments != null ? enrollments : last.enrollments();
  }

  List<Contact.Enrollment> enrollmentsToChange() {
    if (enrollments == null) {
      enrollments = new ArrayList<>(last.enrollments());
    }
    enrollmentsChanged = true;
    return enrollments;
  }

  List<Contact.SentMessage> messages() {
    return messages != null ? messages : last.messages();
  }

  List<Contact.SentMessage> messagesToChange() {
    if (messages == null) {
      messages = new ArrayList<>(last.messages());
    }
    return messages;
  }

  Map<String, Instant> alerts() {
    return alerts != null ? alerts : last.alerts();
  }

  Map<String, Instant> alertsToChange() {
    if (alerts == null) {
      alerts = new LinkedHashMap<>(last.alerts());
    }
    alertsChanged = true;
    return alerts;
  }

  /**
   * The state as an immutable contact. A phase makes one; the collections that did not change
   * since the last one (not asked for change, or compared equal in order) are that contact's,
   * and when nothing changed it is that contact itself.
   */
  Contact toContact() {
    Contact before = last;
    Map<String, Integer> t = !tagsChanged || sameInOrder(before.tags().entrySet(), tags.entrySet())
        ? before.tags() : tags;
    Set<String> sg = !segmentsChanged || sameInOrder(before.segments(), segments)
        ? before.segments() : segments;
    List<Contact.LedgerLot> l = !ledgerChanged || sameInOrder(before.ledger(), ledger)
        ? before.ledger() : ledger;
    List<Contact.Enrollment> en = !enrollmentsChanged || sameInOrder(before.enrollments(), enrollments)
        ? before.enrollments() : enrollments;
    Map<String, Instant> al = !alertsChanged || sameInOrder(before.alerts().entrySet(), alerts.entrySet())
        ? before.alerts() : alerts;
    tagsChanged = segmentsChanged = ledgerChanged = enrollmentsChanged = alertsChanged = false;
    if (t == before.tags() && sg == before.segments() && l == before.ledger()
        && en == before.enrollments() && al == before.alerts() && score == before.score()
        && stage == before.stage() && tier.equals(before.tier())
        && (messages == null || messages.equals(before.messages()))) {
      return before;
    }
    last = before.withState(score, stage, t, sg, tier, l, en, al);
    if (messages != null && !messages.equals(last.messages())) {
      last = last.toBuilder().messages(messages).build();
    }
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

  /** The points awarded at or after {@code since}, whatever was spent or has expired since. */
  BigDecimal earnedSince(Instant since) {
    BigDecimal total = BigDecimal.ZERO;
    for (Contact.LedgerLot lot : ledger()) {
      if (lot.earnedSince(since)) {
        total = total.add(lot.earned());
      }
    }
    return total;
  }

  /** The unexpired points at {@code now}; computed once until the ledger changes. */
  BigDecimal balance(Instant now) {
    if (balance != null && now.equals(balanceAt)) {
      return balance;
    }
    BigDecimal total = BigDecimal.ZERO;
    for (Contact.LedgerLot lot : ledger()) {
      if (!lot.expiredAt(now)) {
        total = total.add(lot.points());
      }
    }
    balance = total;
    balanceAt = now;
    return total;
  }

  boolean enrolled(String campaign) {
    for (Contact.Enrollment e : enrollments()) {
      if (e.active() && e.campaign().equals(campaign)) {
        return true;
      }
    }
    return false;
  }

  void endEnrollment(String campaign) {
    exited.add(campaign);
    enrollmentsToChange().replaceAll(
        e -> e.active() && e.campaign().equals(campaign)
            ? new Contact.Enrollment(e.campaign(), e.enrolledAt(), false, null)
            : e);
  }

  /**
   * Takes up to {@code wanted} points from unexpired lots, soonest-expiring first (lots that
   * never expire last); returns what was taken.
   */
  BigDecimal consume(BigDecimal wanted, Instant now) {
    List<Contact.LedgerLot> ledger = ledgerToChange();
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
      Contact.LedgerLot after = lot.remaining(remaining);
      if (after.points().signum() > 0 || after.inTierWindow(tierWindow, now)) {
        ledger.set(at, after); // a used-up lot stays while a tier on points earned counts it
      } else {
        ledger.remove(at);
      }
    }
    return wanted.subtract(left);
  }
}
