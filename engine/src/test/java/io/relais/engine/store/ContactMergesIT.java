package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.engine.audience.Audiences;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identity merges against the build's node: every rule, concurrency, repetition and crashes. */
class ContactMergesIT {

  private final StoreFixture fixture = new StoreFixture();
  private final CompiledRuleset visits = StoreFixture.compile("""
      segment "Visits"
      when event is page_visit
      then tag "VISITED"
      end

      scoring "Visit"
      when event is page_visit
      then add 1 to score
      end

      scoring "Seen three times this week"
      when event is page_visit and count(page_visit within 7 days) = 3
      then add 100 to score
      end
      """);

  @AfterEach
  void close() throws Exception {
    fixture.merges.hook(WriteHook.NONE);
    fixture.close();
  }

  private void store(Map<String, Object> json) {
    Contact contact = Contact.fromJson(json);
    assertThat(fixture.contacts.write(StoredContact.absent(contact), contact, List.of(), fixture.clock.instant()))
        .isTrue();
  }

  private Map<String, Object> contact(String id, Object... fields) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    for (int i = 0; i < fields.length; i += 2) {
      json.put((String) fields[i], fields[i + 1]);
    }
    return json;
  }

  private Contact merged(String into, String from) {
    ContactMerges.Result result = fixture.merges.merge(into, from);
    assertThat(result).isInstanceOf(ContactMerges.Merged.class);
    return ((ContactMerges.Merged) result).contact().contact();
  }

  @Test
  void tagsAndScoreAreAddedSegmentsJoinedAndTheFurtherStageKept() {
    store(contact("anna", "score", 30, "stage", "MQL", "tags", Map.of("LEASING", 2, "SUV", 1),
        "segments", List.of("Paris")));
    store(contact("cookie-1", "score", 12, "stage", "SQL", "tags", Map.of("LEASING", 3, "EV", 1),
        "segments", List.of("Web", "Paris")));
    store(contact("bob", "stage", "MQL"));
    store(contact("cookie-2", "stage", "DISQUALIFIED"));
    store(contact("carl", "stage", "DISQUALIFIED"));
    store(contact("cookie-3", "stage", "CUSTOMER"));

    Contact anna = merged("anna", "cookie-1");

    assertThat(anna.tags()).containsExactlyInAnyOrderEntriesOf(Map.of("LEASING", 5, "SUV", 1, "EV", 1));
    assertThat(anna.score()).isEqualTo(42);
    assertThat(anna.stage().name()).isEqualTo("SQL");
    assertThat(anna.segments()).containsExactlyInAnyOrder("Paris", "Web");
    assertThat(merged("bob", "cookie-2").stage().name()).isEqualTo("MQL");
    assertThat(merged("carl", "cookie-3").stage().name()).isEqualTo("DISQUALIFIED");
  }

  @Test
  void everyLotOfBothStaysUnchanged() {
    Instant now = fixture.clock.instant();
    store(contact("anna", "tier", "Silver", "ledger", List.of(lot(500, now.minus(Duration.ofDays(3)), "purchase"))));
    store(contact("cookie-1", "ledger", List.of(lot(80, now.minus(Duration.ofDays(1)), "newsletter"),
        lot(20, now.minus(Duration.ofDays(2)), "review"))));

    Contact anna = merged("anna", "cookie-1");

    assertThat(anna.ledger()).extracting(l -> l.points().intValue(), Contact.LedgerLot::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(500, "purchase"),
            org.assertj.core.groups.Tuple.tuple(80, "newsletter"), org.assertj.core.groups.Tuple.tuple(20, "review"));
    assertThat(anna.tier()).isEqualTo("Silver"); // recomputed by the next evaluation
  }

  @Test
  void aCampaignInBothKeepsTheEarlierActiveEnrollment() {
    store(contact("anna", "enrollments", List.of(enrollment("welcome", "2026-11-10T00:00:00Z", true),
        enrollment("leasing", "2026-11-12T00:00:00Z", true))));
    store(contact("cookie-1", "enrollments", List.of(enrollment("welcome", "2026-11-01T00:00:00Z", true),
        enrollment("spring", "2026-11-02T00:00:00Z", true))));

    Contact anna = merged("anna", "cookie-1");

    assertThat(anna.enrollments()).containsExactly(
        new Contact.Enrollment("welcome", Instant.parse("2026-11-10T00:00:00Z"), false),
        new Contact.Enrollment("leasing", Instant.parse("2026-11-12T00:00:00Z"), true),
        new Contact.Enrollment("welcome", Instant.parse("2026-11-01T00:00:00Z"), true),
        new Contact.Enrollment("spring", Instant.parse("2026-11-02T00:00:00Z"), true));
  }

  @Test
  void alertMemoriesOfBothAreKeptTheLaterSendingPerRule() {
    store(contact("anna", "alerts", Map.of("Hot lead", "2026-11-20T10:00:00Z", "Back", "2026-11-01T10:00:00Z")));
    store(contact("cookie-1", "alerts", Map.of("Hot lead", "2026-11-21T10:00:00Z", "Cart", "2026-11-02T10:00:00Z")));

    Contact anna = merged("anna", "cookie-1");

    assertThat(anna.alerts()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "Hot lead", Instant.parse("2026-11-21T10:00:00Z"), "Back", Instant.parse("2026-11-01T10:00:00Z"),
        "Cart", Instant.parse("2026-11-02T10:00:00Z")));
  }

  @Test
  void consentIsTheStrictestExplicitAnswerInAllNineCombinations() {
    Boolean[] answers = {true, false, null};
    int pair = 0;
    for (Boolean a : answers) {
      for (Boolean b : answers) {
        pair++;
        store(contact("known-" + pair, "consent", consent(a)));
        store(contact("visitor-" + pair, "consent", consent(b)));
        Boolean expected = Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b) ? Boolean.FALSE
            : Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b) ? Boolean.TRUE : null;

        Contact known = merged("known-" + pair, "visitor-" + pair);

        assertThat(known.consent().email()).as(a + " + " + b).isEqualTo(expected);
        assertThat(known.consent().sms()).as("sms, given by neither").isNull();
      }
    }
  }

  @Test
  void profileFieldsAreTheKeptContactsWithTheOthersFillingWhatItLacks() {
    store(contact("anna", "email", "anna@acme.fr", "firstName", "Anna", "attributes", Map.of("industry", "cars")));
    store(contact("cookie-1", "email", "x@example.org", "city", "Lyon", "companySize", 40,
        "attributes", Map.of("industry", "boats", "budget", 30000)));

    Contact anna = merged("anna", "cookie-1");

    assertThat(anna.email()).isEqualTo("anna@acme.fr");
    assertThat(anna.firstName()).isEqualTo("Anna");
    assertThat(anna.profile("city")).isEqualTo("Lyon");
    assertThat(anna.companySize()).isEqualTo(40);
    assertThat(anna.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("industry", "cars", "budget", 30000));
  }

  @Test
  void twoHundredEventsPostedForBothIdsWhileMergingAreEachAppliedOnce() throws Exception {
    store(contact("anna"));
    store(contact("cookie-1"));
    AtomicInteger done = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<EventRecorder.Outcome> outcomes = new ArrayList<>();
    try {
      List<Callable<EventRecorder.Outcome>> posts = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String n = Integer.toString(i);
        posts.add(() -> record("anna", "a-" + n, done));
        posts.add(() -> record("cookie-1", "b-" + n, done));
      }
      List<Future<EventRecorder.Outcome>> futures = new ArrayList<>();
      posts.forEach(post -> futures.add(pool.submit(post)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (done.get() < 40) { // the merge lands among the events
        assertThat(System.nanoTime()).isLessThan(deadline);
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
      }
      ContactMerges.Result merge = fixture.merges.merge("anna", "cookie-1");
      assertThat(merge).isInstanceOf(ContactMerges.Merged.class);
      assertThat(done.get()).as("events still to come after the merge").isLessThan(200);
      for (Future<EventRecorder.Outcome> f : futures) {
        outcomes.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).noneMatch(EventRecorder.Outcome::replayed);
    Contact anna = fixture.stored("anna");
    assertThat(anna.tags()).containsEntry("VISITED", 200);
    int bonuses = (anna.score() - 200) / 100; // "seen three times" fires once per contact at most
    assertThat(anna.score() - bonuses * 100).isEqualTo(200);
    StoredContact stored = fixture.contacts.read("anna").orElseThrow();
    fixture.refresh();
    assertThat(fixture.events.newest(stored.owners(), 500)).hasSize(200);
    // Posted again, to either id: every one is a replay, nothing changes.
    for (int i = 0; i < 100; i++) {
      assertThat(fixture.recorder.record("cookie-1", fixture.visit("a-" + i), visits).replayed()).isTrue();
      assertThat(fixture.recorder.record("anna", fixture.visit("b-" + i), visits).replayed()).isTrue();
    }
    assertThat(fixture.stored("anna").score()).isEqualTo(anna.score());
  }

  private EventRecorder.Outcome record(String contactId, String eventId, AtomicInteger done) {
    EventRecorder.Outcome outcome = fixture.recorder.record(contactId, fixture.visit(eventId), visits);
    done.incrementAndGet();
    return outcome;
  }

  @Test
  void mergingTwiceChangesNothing() {
    store(contact("anna", "score", 5, "tags", Map.of("X", 1)));
    store(contact("cookie-1", "score", 7, "tags", Map.of("X", 2)));
    merged("anna", "cookie-1");
    StoredContact first = fixture.contacts.read("anna").orElseThrow();
    StoredContact alias = fixture.contacts.read("cookie-1").orElseThrow();

    merged("anna", "cookie-1");

    StoredContact again = fixture.contacts.read("anna").orElseThrow();
    assertThat(again.seqNo()).as("no write at all").isEqualTo(first.seqNo());
    assertThat(again.contact().score()).isEqualTo(12);
    assertThat(again.contact().tags()).containsEntry("X", 3);
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().seqNo()).isEqualTo(alias.seqNo());
    assertThat(again.mergedFrom()).containsExactly("cookie-1");
  }

  @Test
  void concurrentRunsOfTheSameMergeApplyItOnce() throws Exception {
    store(contact("anna", "score", 5));
    store(contact("cookie-1", "score", 7));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<ContactMerges.Result>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        runs.add(() -> fixture.merges.merge("anna", "cookie-1"));
      }
      for (Future<ContactMerges.Result> f : pool.invokeAll(runs)) {
        assertThat(f.get()).isInstanceOf(ContactMerges.Merged.class);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(fixture.stored("anna").score()).isEqualTo(12);
  }

  /** The process "dies" at a point of the merge: the hook throws. */
  private static final class Crash extends RuntimeException {}

  private void crashAt(WriteHook.Point point) {
    fixture.merges.hook(p -> {
      if (p == point) {
        throw new Crash();
      }
    });
  }

  @Test
  void aMergeKilledAfterFreezingIsFinishedByTheNextAttemptAndMeanwhileNothingIsLost() {
    store(contact("anna", "score", 5));
    store(contact("cookie-1", "score", 7, "tags", Map.of("X", 1)));
    crashAt(WriteHook.Point.MERGE_FROZEN);
    assertThatThrownBy(() -> fixture.merges.merge("anna", "cookie-1")).isInstanceOf(Crash.class);
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().mergedInto()).contains("anna");
    assertThat(fixture.contacts.read("anna").orElseThrow().mergedFrom()).isEmpty();
    // Between the crash and the next attempt, the visitor's events go to the known contact.
    fixture.recorder.record("cookie-1", fixture.visit("v-1"), visits);
    assertThat(fixture.stored("anna").score()).isEqualTo(6);
    fixture.merges.hook(WriteHook.NONE);

    merged("anna", "cookie-1");

    Contact anna = fixture.stored("anna");
    assertThat(anna.score()).isEqualTo(13);
    assertThat(anna.tags()).containsEntry("X", 1).containsEntry("VISITED", 1);
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().extras()).containsKey(ContactMerges.MERGED_AT);
  }

  @Test
  void aMergeKilledAfterFreezingIsFinishedByTheRecoverySweep() {
    store(contact("anna", "score", 5));
    store(contact("cookie-1", "score", 7));
    crashAt(WriteHook.Point.MERGE_FROZEN);
    assertThatThrownBy(() -> fixture.merges.merge("anna", "cookie-1")).isInstanceOf(Crash.class);
    fixture.merges.hook(WriteHook.NONE);
    refreshContacts();

    assertThat(fixture.merges.recover()).isEqualTo(1);

    assertThat(fixture.stored("anna").score()).isEqualTo(12);
    refreshContacts();
    assertThat(fixture.merges.recover()).as("nothing left to finish").isZero();
    assertThat(fixture.stored("anna").score()).isEqualTo(12);
  }

  @Test
  void aMergeKilledAfterApplyingIsNotAppliedAgain() {
    store(contact("anna", "score", 5));
    store(contact("cookie-1", "score", 7));
    crashAt(WriteHook.Point.MERGE_APPLIED);
    assertThatThrownBy(() -> fixture.merges.merge("anna", "cookie-1")).isInstanceOf(Crash.class);
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().extras()).doesNotContainKey(ContactMerges.MERGED_AT);
    fixture.merges.hook(WriteHook.NONE);

    merged("anna", "cookie-1");

    assertThat(fixture.stored("anna").score()).isEqualTo(12);
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().extras()).containsKey(ContactMerges.MERGED_AT);
  }

  @Test
  void anAliasesEventsDecisionsReadsAndRedemptionsLandOnTheMergedContact() throws Exception {
    store(contact("anna", "ledger", List.of(lot(100, fixture.clock.instant(), "gift"))));
    store(contact("cookie-1"));
    fixture.recorder.record("cookie-1", fixture.visit("before-1"), visits);
    fixture.recorder.record("cookie-1", fixture.visit("before-2"), visits);
    merged("anna", "cookie-1");

    EventRecorder.Outcome third = fixture.recorder.record("cookie-1", fixture.visit("after-1"), visits);

    assertThat(third.replayed()).isFalse();
    Contact anna = fixture.stored("anna");
    // The third visit of the person: its history counts the visitor's two before the merge.
    assertThat(anna.score()).isEqualTo(103);
    assertThat(fixture.recorder.record("anna", fixture.visit("before-1"), visits).replayed()).isTrue();
    assertThat(fixture.contacts.resolve("cookie-1").orElseThrow().contact().id()).isEqualTo("anna");
    assertThat(fixture.recorder.facts("cookie-1", visits, fixture.clock.instant(), new ArrayList<>()).orElseThrow()
        .contact().id()).isEqualTo("anna");
    CompiledRuleset rewards = StoreFixture.compile("reward \"voucher\" costs 30 points\n");
    assertThat(fixture.redemptions.redeem("cookie-1", "voucher", rewards.checked()))
        .isInstanceOf(Redemptions.Redeemed.class);
    assertThat(ContactDocuments.balance(fixture.stored("anna"), fixture.clock.instant())).isEqualByComparingTo("70");
    assertThatThrownBy(() -> fixture.contacts.put(new ProfileUpdate(Contact.withId("cookie-1"), java.util.Set.of(),
        false, false), fixture.clock.instant(), 3)).isInstanceOf(ContactAliasException.class);
  }

  /**
   * A redemption of the alias applied and answered 409 re-reads the merged contact: it finds
   * its mark there only if the merge kept the alias's marks, or it takes the cost again.
   */
  @Test
  void theMergedContactRemembersTheRedemptionsOfBoth() {
    Instant now = fixture.clock.instant();
    store(contact("anna", "ledger", List.of(lot(100, now, "gift"))));
    store(contact("cookie-1", "ledger", List.of(lot(100, now, "gift"))));
    CompiledRuleset rewards = StoreFixture.compile("reward \"voucher\" costs 30 points\n");
    fixture.redemptions.redeem("anna", "voucher", rewards.checked());
    fixture.redemptions.redeem("cookie-1", "voucher", rewards.checked());
    List<String> ofAnna = ContactDocuments.redemptions(fixture.contacts.read("anna").orElseThrow().extras());
    List<String> ofCookie = ContactDocuments.redemptions(fixture.contacts.read("cookie-1").orElseThrow().extras());

    merged("anna", "cookie-1");

    assertThat(ofAnna).hasSize(1);
    assertThat(ofCookie).hasSize(1);
    assertThat(ContactDocuments.redemptions(fixture.contacts.read("anna").orElseThrow().extras()))
        .containsExactly(ofCookie.get(0), ofAnna.get(0));
  }

  @Test
  void anEventTheMergedContactHadOnlyInTheIndexIsAReplayForEitherId() throws Exception {
    store(contact("anna"));
    store(contact("cookie-1"));
    fixture.recorder.record("cookie-1", fixture.visit("old"), visits);
    fixture.refresh();
    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.recorder.record("cookie-1", fixture.visit("new"), visits); // "old" leaves the outbox
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().outbox()).extracting(PendingEvent::eventId)
        .containsExactly("new");
    merged("anna", "cookie-1");

    assertThat(fixture.recorder.record("anna", fixture.visit("old"), visits).replayed()).isTrue();
    assertThat(fixture.recorder.record("cookie-1", fixture.visit("old"), visits).replayed()).isTrue();
    assertThat(fixture.stored("anna").score()).isEqualTo(2);
  }

  @Test
  void aBatchRunThatReadTheAliasBeforeTheMergeLeavesItToTheMergedContact() throws Exception {
    store(contact("anna"));
    store(contact("cookie-1"));
    var before = fixture.store.client().get(g -> g.index(fixture.indices.contacts()).id("cookie-1"), Map.class);
    merged("anna", "cookie-1");
    @SuppressWarnings("unchecked")
    Map<String, Object> source = before.source();
    BulkApplier applier = new BulkApplier(fixture.store, fixture.indices, fixture.calls, fixture.contacts,
        fixture.events, fixture.recorder, fixture.json, fixture.clock);
    CompiledRuleset daily = StoreFixture.compile("""
        scoring "Daily"
        when event is daily
        then add 1 to score
        end
        """);
    Event run = new Event("batch-1", "daily", fixture.clock.instant(), Map.of());

    List<BulkApplier.Result> results = applier.apply(List.of(
        new BulkApplier.Snapshot("cookie-1", source, before.seqNo(), before.primaryTerm())), run, daily, 1,
        Runnable::run);

    assertThat(results).singleElement().satisfies(r -> assertThat(r.outcome()).isEmpty());
    assertThat(fixture.stored("anna").score()).isZero();
    assertThat(fixture.contacts.read("cookie-1").orElseThrow().contact().score()).isZero();
  }

  @Test
  void historiesFromTheIndexCountEventsOfBothOnce() throws Exception {
    store(contact("anna"));
    store(contact("cookie-1"));
    fixture.recorder.record("anna", fixture.visit("shared"), visits);
    fixture.recorder.record("cookie-1", fixture.visit("shared"), visits);
    merged("anna", "cookie-1");
    fixture.refresh();

    EventLog.History history = fixture.events.history(fixture.contacts.read("anna").orElseThrow().owners(),
        fixture.recorder.needs(visits), fixture.clock.instant(), 100);

    assertThat(history.events()).extracting(Event::id).containsExactly("shared");
  }

  @Test
  void mergingIntoAnAliasOrAnAliasElsewhereIsRefusedAndUnknownIdsAreSaidSo() {
    store(contact("anna"));
    store(contact("cookie-1"));
    store(contact("bob"));
    merged("anna", "cookie-1");

    assertThat(fixture.merges.merge("cookie-1", "bob")).isEqualTo(new ContactMerges.Alias("cookie-1", "anna"));
    assertThat(fixture.merges.merge("bob", "cookie-1")).isEqualTo(new ContactMerges.Alias("cookie-1", "anna"));
    assertThat(fixture.merges.merge("nobody", "bob")).isEqualTo(new ContactMerges.Unknown("nobody"));
    assertThat(fixture.merges.merge("bob", "nobody")).isEqualTo(new ContactMerges.Unknown("nobody"));
    assertThat(fixture.contacts.read("bob").orElseThrow().mergedInto()).isEmpty();
  }

  @Test
  void audiencesCountAMergedPersonOnce() throws Exception {
    store(contact("anna", "tags", Map.of("X", 1)));
    store(contact("cookie-1", "tags", Map.of("X", 1)));
    merged("anna", "cookie-1");
    refreshContacts();

    long people = new Audiences(fixture.store, fixture.calls).count(Query.of(q -> q.matchAll(m -> m)));

    assertThat(people).isEqualTo(1);
  }

  private void refreshContacts() {
    try {
      fixture.store.client().indices().refresh(r -> r.index(fixture.indices.contacts()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, Object> lot(int points, Instant earnedAt, String reason) {
    Map<String, Object> lot = new HashMap<>();
    lot.put("points", new BigDecimal(points));
    lot.put("earnedAt", earnedAt.toString());
    lot.put("reason", reason);
    lot.put("rule", "test");
    return lot;
  }

  private static Map<String, Object> enrollment(String campaign, String at, boolean active) {
    return Map.of("campaign", campaign, "enrolledAt", at, "active", active);
  }

  private static Map<String, Object> consent(Boolean email) {
    Map<String, Object> consent = new HashMap<>();
    if (email != null) {
      consent.put("email", email);
    }
    return consent;
  }
}
