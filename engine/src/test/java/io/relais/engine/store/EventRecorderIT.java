package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import io.relais.engine.testing.SettableClock;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.TraceMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Recording events against the build's node: no lost update, exactly once, crash recovery. */
class EventRecorderIT {

  private static final String VISITS = """
      segment "Visitor"
      when event is page_visit
      then tag "VISITOR"
      end

      scoring "Visit"
      when event is page_visit
      then add 1 to score
      end
      """;

  private final StoreFixture fixture = new StoreFixture();
  private final CompiledRuleset visits = StoreFixture.compile(VISITS);

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private Event visit(String id) {
    return new Event(id, "page_visit", fixture.clock.instant(), Map.of("url", "/offers"));
  }

  private Contact stored(String id) {
    return fixture.contacts.read(id).orElseThrow().contact();
  }

  @Test
  void concurrentVisitsOnOneContactAreAllApplied() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<EventRecorder.Outcome>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        Event event = visit("v-" + i);
        results.add(pool.submit(() -> fixture.recorder.record("c-1", event, visits)));
      }
      for (Future<EventRecorder.Outcome> result : results) {
        assertThat(result.get().replayed()).isFalse();
      }
    } finally {
      pool.shutdownNow();
    }

    Contact contact = stored("c-1");
    assertThat(contact.tags()).containsEntry("VISITOR", 200);
    assertThat(contact.score()).isEqualTo(200);
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(200); // refreshes both indices
    // Within the grace, every event is still in the outbox; the contact's next write after the
    // grace takes out those whose documents searches see: all of them.
    assertThat(fixture.contacts.read("c-1").orElseThrow().outbox()).hasSize(200);
    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.recorder.record("c-1", visit("v-200"), visits);
    assertThat(outbox("c-1")).containsExactly("v-200");
    assertThat(stored("c-1").score()).isEqualTo(201);
  }

  @Test
  void theSameEventSentFiveTimesIsAppliedOnce() throws Exception {
    Event event = visit("e-1");
    ExecutorService pool = Executors.newFixedThreadPool(5);
    List<EventRecorder.Outcome> outcomes = new ArrayList<>();
    try {
      List<Callable<EventRecorder.Outcome>> sends = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        sends.add(() -> fixture.recorder.record("c-1", event, visits));
      }
      for (Future<EventRecorder.Outcome> f : pool.invokeAll(sends)) {
        outcomes.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(outcomes).filteredOn(EventRecorder.Outcome::replayed).hasSize(4);
    EventRecorder.Outcome first = outcomes.stream().filter(o -> !o.replayed()).findFirst().orElseThrow();
    // Read back from the store, numbers may come as another Java type: compare the JSON.
    String firstJson = fixture.json.writeValueAsString(first.decision());
    for (EventRecorder.Outcome o : outcomes) {
      assertThat(fixture.json.writeValueAsString(o.decision())).isEqualTo(firstJson);
    }
    assertThat(first.json()).containsEntry("replayed", false);
    assertThat(stored("c-1").score()).isEqualTo(1);
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(1);
  }

  /** A delivery after the event left the outbox is caught by its document. */
  @Test
  void anEventSentAgainAfterItLeftTheOutboxIsReplayedFromItsDocument() throws Exception {
    EventRecorder.Outcome first = fixture.recorder.record("c-1", visit("e-1"), visits);

    EventRecorder.Outcome again = sendE1AgainOnceItLeftTheOutbox();

    assertThat(again.replayed()).isTrue();
    assertThat(fixture.json.writeValueAsString(again.decision()))
        .isEqualTo(fixture.json.writeValueAsString(first.decision()));
    assertThat(stored("c-1").score()).isEqualTo(2);
  }

  /** The decision is stored compressed; a document of an earlier Relais, with it as an object, still replays. */
  @Test
  void theDecisionIsStoredCompressedAndAnEarlierRelaisDocumentStillReplays() throws Exception {
    EventRecorder.Outcome first = fixture.recorder.record("c-1", visit("e-1"), visits);
    fixture.settle();
    String id = EventLog.documentId("c-1", "e-1");
    @SuppressWarnings("rawtypes")
    Map stored = fixture.store.client().get(g -> g.index(fixture.indices.events()).id(id).routing("c-1"), Map.class)
        .source();
    assertThat(stored).containsKey(DecisionJson.FIELD).doesNotContainKey(DecisionJson.LEGACY_FIELD);
    assertThat(DecisionJson.fromDocument(stored).text()).isEqualTo(first.recorded().text());

    // The same event as an earlier Relais stored it, and out of the outbox.
    Map<String, Object> legacy = new java.util.LinkedHashMap<>(stored);
    legacy.remove(DecisionJson.FIELD);
    legacy.put(DecisionJson.LEGACY_FIELD, first.decision());
    fixture.store.client().index(i -> i.index(fixture.indices.events()).id(id).routing("c-1").document(legacy));

    EventRecorder.Outcome again = sendE1AgainOnceItLeftTheOutbox();

    assertThat(again.replayed()).isTrue();
    assertThat(again.recorded().text()).isEqualTo(first.recorded().text());
  }

  /**
   * A recorded decision keeps the trace of the rules that fired, whatever the answer showed: the
   * outbox entry and the event document of a decision on 1,000 rules of which one fired hold one
   * trace entry; a replay answers that (or no trace).
   */
  @Test
  void theRecordedDecisionKeepsTheFiredRulesTraceWhateverTheAnswerShowed() throws Exception {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 1_000; i++) {
      text.append("scoring \"Page ").append(i).append("\"\nwhen event is page_visit and event.url = \"/page/")
          .append(i).append("\"\nthen add 1 to score\nend\n");
    }
    CompiledRuleset pages = StoreFixture.compile(text.toString());
    Event page7 = new Event("e-1", "page_visit", fixture.clock.instant(), Map.of("url", "/page/7"));

    EventRecorder.Outcome all = fixture.recorder.record("c-1", page7, pages, TraceMode.ALL);
    EventRecorder.Outcome none = fixture.recorder.record("c-1",
        new Event("e-2", "page_visit", fixture.clock.instant(), Map.of("url", "/page/8")), pages, TraceMode.NONE);
    fixture.settle();

    assertThat(traced(all.json())).hasSize(1_000);
    assertThat(traced(all.decision())).containsExactly("Page 7");
    assertThat(none.json()).doesNotContainKey("trace");
    assertThat(fixture.json.readTree(none.answer()).has("trace")).isFalse();
    assertThat(traced(none.decision())).containsExactly("Page 8");
    // As stored: the outbox entries and the event documents.
    assertThat(fixture.contacts.read("c-1").orElseThrow().outbox())
        .extracting(entry -> traced(entry.decision().map()))
        .containsExactly(List.of("Page 7"), List.of("Page 8"));
    assertThat(traced(fixture.events.find("c-1", "e-1").orElseThrow().decision().map())).containsExactly("Page 7");
    assertThat(traced(fixture.events.find("c-1", "e-2").orElseThrow().decision().map())).containsExactly("Page 8");
    // A replay answers the decision recorded: the fired rules' trace, or none.
    EventRecorder.Outcome replayAll = fixture.recorder.record("c-1", page7, pages, TraceMode.ALL);
    EventRecorder.Outcome replayNone = fixture.recorder.record("c-1", page7, pages, TraceMode.NONE);
    assertThat(replayAll.replayed()).isTrue();
    assertThat(traced(replayAll.json())).containsExactly("Page 7");
    assertThat(replayNone.json()).doesNotContainKey("trace").containsEntry("replayed", true);
    assertThat(fixture.json.readTree(replayNone.answer()).has("trace")).isFalse();
  }

  /** The rules of a decision's trace, each with whether it fired, as "rule" or "rule (not fired)". */
  private static List<String> traced(Map<String, Object> decision) {
    return ((List<?>) decision.get("trace")).stream().map(entry -> (Map<?, ?>) entry)
        .map(entry -> entry.get("rule") + (Boolean.TRUE.equals(entry.get("fired")) ? "" : " (not fired)"))
        .toList();
  }

  /**
   * An entry this instance recorded leaves the outbox without a read of the refreshed view once
   * the bulk that wrote its document, waiting for a refresh, was answered.
   */
  @Test
  void anEntryRecordedHereLeavesTheOutboxWithoutAReadOnceItsDocumentIsSearchable() throws Exception {
    fixture.recorder.record("c-1", visit("e-1"), visits);
    fixture.settle();
    fixture.clock.advance(Duration.ofMinutes(1));

    assertThat(readsToRecord(fixture.recorder, "c-1", "e-2")).isZero();
    assertThat(outbox("c-1")).containsExactly("e-2");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(2);
  }

  /**
   * Another instance knows nothing of this one's writes: it does not read whether searches see
   * this one's entries, it adopts them (docs/store.md, "Adopted entries"): the entry stays under
   * a ticket of its own, its document is written again through its refresh-waiting bulk, and
   * the entry leaves at its next write once that bulk was answered, with no read at all.
   */
  @Test
  void anEntryRecordedByAnotherInstanceIsAdoptedAndLeavesOnItsAcknowledgedWrite() throws Exception {
    PendingEvent.Origin theirs;
    try (GroupCommit theirWrites = fixture.documentWrites()) {
      EventLog theirLog = new EventLog(fixture.store, fixture.indices, fixture.calls, fixture.writes,
          fixture.searchableReads, theirWrites);
      new EventRecorder(fixture.contacts, theirLog, fixture.clock, fixture.settings)
          .record("c-1", visit("e-1"), visits);
      fixture.settle(theirWrites);
      theirs = fixture.contacts.read("c-1").orElseThrow().outbox().get(0).origin();
    }
    fixture.clock.advance(Duration.ofMinutes(1));

    assertThat(readsToRecord(fixture.recorder, "c-1", "e-2")).isZero();
    assertThat(outbox("c-1")).containsExactly("e-1", "e-2");
    List<PendingEvent> adopted = fixture.contacts.read("c-1").orElseThrow().outbox();
    assertThat(adopted.get(0).origin().recorder()).isNotEqualTo(theirs.recorder())
        .isEqualTo(adopted.get(1).origin().recorder());
    // Until this instance's bulk answered e-1's document, e-1 stays.
    fixture.settle();
    fixture.clock.advance(Duration.ofMinutes(1));
    assertThat(readsToRecord(fixture.recorder, "c-1", "e-3")).isZero();
    assertThat(outbox("c-1")).containsExactly("e-3");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(3);
    assertThat(stored("c-1").score()).isEqualTo(3);
  }

  /**
   * A read of one copy proves nothing about the copy a later search reads (a replica not
   * refreshed yet, a copy rebuilt after a node was lost): an entry leaves its outbox only on an
   * acknowledged write of its document, never on a read. Here the read says "searchable" (as the
   * copy it reads would) while the index has no document at all (another instance died right
   * after its contact write): the entry must not leave before its document is written and
   * refreshed, or the contact's listing (outbox and index) would miss the event.
   */
  @Test
  void anEntryLeavesTheOutboxOnlyOnAnAcknowledgedWriteNeverOnARead() throws Exception {
    try (GroupCommit theirWrites = fixture.documentWrites()) {
      EventLog theirLog = new EventLog(fixture.store, fixture.indices, fixture.calls, fixture.writes,
          fixture.searchableReads, theirWrites);
      EventRecorder theirs = new EventRecorder(fixture.contacts, theirLog, fixture.clock, fixture.settings);
      theirs.hook(reached -> {
        if (reached == WriteHook.Point.CONTACT_WRITTEN) {
          throw new Crash();
        }
      });
      assertThatThrownBy(() -> theirs.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    }
    AtomicInteger reads = new AtomicInteger();
    @SuppressWarnings("rawtypes")
    StoreReads aCopyThatHasEverything = documents -> {
      reads.incrementAndGet();
      List<MultiGetResponseItem<Map>> found = new ArrayList<>();
      documents.forEach(d -> found.add(MultiGetResponseItem.of(i -> i.result(r -> r
          .index(d.index()).id(d.id()).found(true)))));
      return found;
    };
    EventLog log = new EventLog(fixture.store, fixture.indices, fixture.calls, fixture.writes,
        aCopyThatHasEverything, fixture.documents);
    EventRecorder recorder = new EventRecorder(fixture.contacts, log, fixture.clock, fixture.settings);

    for (int i = 2; i <= 4; i++) {
      fixture.clock.advance(Duration.ofMinutes(1));
      recorder.record("c-1", visit("e-" + i), visits);
      fixture.settle();
      assertThat(listed("c-1")).as("after e-" + i).contains("e-1", "e-" + i);
    }
    assertThat(outbox("c-1")).containsExactly("e-4");
    assertThat(listed("c-1")).containsExactlyInAnyOrder("e-1", "e-2", "e-3", "e-4");
    assertThat(reads).hasValue(0);
    assertThat(stored("c-1").score()).isEqualTo(4);
  }

  /**
   * A contact write applied but answered 409 (sent again after a fail-over, it met its own
   * result): the next read finds the entry under the write's own ticket, so the event is
   * answered as decided now (not as a replay), its document is written like any other's, and
   * the entry leaves the outbox only after that. Released as a lost race instead, its ticket
   * would vouch for a document never written, and the event would vanish from the listing.
   */
  @Test
  void aWriteAppliedButAnsweredAsAConflictHasItsDocumentWrittenBeforeItsEntryLeaves() throws Exception {
    ContactStore contacts = fixture.contactsAnsweringConflictFor(Set.of("c-1"));
    EventRecorder recorder = new EventRecorder(contacts, fixture.events, fixture.clock, fixture.settings);

    EventRecorder.Outcome first = recorder.record("c-1", visit("e-1"), visits);
    fixture.settle();

    assertThat(documents("c-1")).as("its document, written").containsExactly("e-1");
    assertThat(first.replayed()).as("decided by this call").isFalse();
    for (int i = 2; i <= 3; i++) {
      fixture.clock.advance(Duration.ofMinutes(1));
      recorder.record("c-1", visit("e-" + i), visits);
      fixture.settle();
    }
    assertThat(outbox("c-1")).as("e-1 left, its document written").doesNotContain("e-1");
    assertThat(listed("c-1")).containsExactly("e-1", "e-2", "e-3");
    assertThat(stored("c-1").score()).as("applied once").isEqualTo(3);
  }

  /**
   * An old entry recorded here whose document's bulk is not answered yet is kept as it is, under
   * its own ticket: it is not adopted (written again) by this instance, and leaves once the bulk
   * was answered.
   */
  @Test
  void anEntryWhoseDocumentIsOnItsWayIsKeptNotAdopted() throws Exception {
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    StoreWrites searchable = StoreWrites.searchable(fixture.store, fixture.calls);
    StoreWrites held = operations -> {
      try {
        assertThat(answer.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return searchable.write(operations);
    };
    try (GroupCommit documents = new GroupCommit("documents", held, GroupCommitSettings.defaults(), r -> { })) {
      EventRecorder recorder = recorderOver(documents);
      recorder.record("c-1", visit("e-1"), visits);
      PendingEvent.Origin e1 = fixture.contacts.read("c-1").orElseThrow().outbox().get(0).origin();
      fixture.clock.advance(Duration.ofMinutes(1));

      recorder.record("c-1", visit("e-2"), visits);

      assertThat(outbox("c-1")).containsExactly("e-1", "e-2");
      assertThat(fixture.contacts.read("c-1").orElseThrow().outbox().get(0).origin()).isEqualTo(e1);
      answer.countDown();
      fixture.settle(documents);
      fixture.clock.advance(Duration.ofMinutes(1));
      recorder.record("c-1", visit("e-3"), visits);
      fixture.settle(documents);
    }
    assertThat(outbox("c-1")).containsExactly("e-3");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(3);
  }

  /**
   * An event log with no refresh-waiting bulk (the tools' and benchmarks') has no watermark to
   * adopt with: it writes an old entry's document itself, waiting for the refresh, and lets the
   * entry go in the same contact write.
   */
  @Test
  void withoutAWatermarkAnOldEntryLeavesOnItsOwnRefreshWaitingWrite() throws Exception {
    EventLog log = new EventLog(fixture.store, fixture.indices, fixture.calls, fixture.writes);
    EventRecorder recorder = new EventRecorder(fixture.contacts, log, fixture.clock, fixture.settings);
    recorder.hook(reached -> {
      if (reached == WriteHook.Point.CONTACT_WRITTEN) {
        throw new Crash(); // e-1's document is never written by its recorder
      }
    });
    assertThatThrownBy(() -> recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    recorder.hook(WriteHook.NONE);
    fixture.clock.advance(Duration.ofMinutes(1));

    recorder.record("c-1", visit("e-2"), visits);

    assertThat(outbox("c-1")).containsExactly("e-2");
    // Searchable when the write answered: no refresh asked for here.
    assertThat(fixture.events.newest("c-1", 50)).extracting(e -> e.get("id")).contains("e-1");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(2);
  }

  // A recorder with a log of its own whose event documents go through {@code documents}: another
  // instance, or one whose document writes a test holds or fails.
  private EventRecorder recorderOver(GroupCommit documents) {
    EventLog log = new EventLog(fixture.store, fixture.indices, fixture.calls, fixture.writes,
        fixture.searchableReads, documents);
    return new EventRecorder(fixture.contacts, log, fixture.clock, fixture.settings);
  }

  // The event documents searches find for the contact, by event id: the index alone, no outbox.
  private List<String> documents(String contactId) throws Exception {
    fixture.store.client().indices().refresh(r -> r.index(fixture.indices.events()));
    return fixture.events.newest(contactId, 50).stream().map(e -> (String) e.get("id")).sorted().toList();
  }

  // What the contact's listing shows (docs/api.md): its outbox and what searches find, by event id.
  private List<String> listed(String contactId) throws Exception {
    fixture.store.client().indices().refresh(r -> r.index(fixture.indices.events()));
    Set<String> ids = new java.util.TreeSet<>(outbox(contactId));
    fixture.events.newest(contactId, 50).forEach(e -> ids.add((String) e.get("id")));
    return List.copyOf(ids);
  }

  /**
   * A crash right after a contact write leaves the fate of its document unknown: that entry is
   * never vouched for, and it does not hold back the entries recorded after it.
   */
  @Test
  void aCrashAfterTheContactWriteDoesNotHoldBackLaterEntries() throws Exception {
    crashOnceAt(WriteHook.Point.CONTACT_WRITTEN);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.recorder.record("c-2", visit("e-2"), visits);
    fixture.settle();
    fixture.clock.advance(Duration.ofMinutes(1));

    assertThat(readsToRecord(fixture.recorder, "c-2", "e-3")).isZero();
    assertThat(outbox("c-2")).containsExactly("e-3");
    // c-1's entry, whose document the crash left unwritten, is vouched for by no one: it is
    // adopted (no read), its document written, and it stays until that write is answered.
    assertThat(readsToRecord(fixture.recorder, "c-1", "e-4")).isZero();
    assertThat(outbox("c-1")).containsExactly("e-1", "e-4");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(2);
  }

  /**
   * A document write that fails leaves its entry to be adopted by the contact's next write (its
   * document is written then), and does not hold back the entries recorded after it.
   */
  @Test
  void aFailedDocumentWriteDoesNotHoldBackLaterEntries() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean(true);
    StoreWrites searchable = StoreWrites.searchable(fixture.store, fixture.calls);
    StoreWrites failingOnce = operations -> {
      if (failNext.getAndSet(false)) {
        throw new StoreUnavailableException("the node is away", null);
      }
      return searchable.write(operations);
    };
    try (GroupCommit documents = new GroupCommit("documents", failingOnce, GroupCommitSettings.defaults(), r -> { })) {
      EventRecorder recorder = recorderOver(documents);
      recorder.record("c-1", visit("e-1"), visits);
      fixture.settle(documents);
      recorder.record("c-2", visit("e-2"), visits);
      fixture.settle(documents);
      fixture.clock.advance(Duration.ofMinutes(1));

      assertThat(readsToRecord(recorder, "c-2", "e-3")).isZero();
      assertThat(outbox("c-2")).containsExactly("e-3");
      assertThat(readsToRecord(recorder, "c-1", "e-4")).isZero();
      assertThat(outbox("c-1")).containsExactly("e-1", "e-4");
      fixture.settle(documents);
    }
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(2);
  }

  // Contact c-1's event e-1 (recorded) leaves the outbox with a later event e-2, then comes again.
  private EventRecorder.Outcome sendE1AgainOnceItLeftTheOutbox() throws Exception {
    fixture.refresh();
    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.recorder.record("c-1", visit("e-2"), visits);
    assertThat(outbox("c-1")).containsExactly("e-2");
    return fixture.recorder.record("c-1", visit("e-1"), visits);
  }

  @Test
  void anUnknownContactIsCreatedAsALead() {
    EventRecorder.Outcome outcome = fixture.recorder.record("new@example.fr/x?y", visit("e-1"), visits);

    Contact contact = stored("new@example.fr/x?y");
    assertThat(contact.stage().name()).isEqualTo("LEAD");
    assertThat(contact.createdAt()).isEqualTo(fixture.clock.instant());
    assertThat(contact.lastActivityAt()).isEqualTo(fixture.clock.instant());
    assertThat(outcome.decision()).containsEntry("contactId", "new@example.fr/x?y");
  }

  /** A crash between two writes, then the client sends the event again. */
  @ParameterizedTest
  @EnumSource(value = WriteHook.Point.class, names = {"CONTACT_WRITTEN", "EVENT_WRITTEN"})
  void aCrashAtAnyPointThenARetryAppliesTheEventOnce(WriteHook.Point point) throws Exception {
    crashOnceAt(point);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);

    EventRecorder.Outcome retry = fixture.recorder.record("c-1", visit("e-1"), visits);

    assertThat(retry.replayed()).isTrue();
    assertThat(stored("c-1").score()).isEqualTo(1);
    assertExactlyOnce(); // the replay wrote nothing: the sweep there writes a missing document
  }

  /** A crash between two writes, and the client never comes back: the recovery sweep finishes. */
  @ParameterizedTest
  @EnumSource(value = WriteHook.Point.class, names = {"CONTACT_WRITTEN", "EVENT_WRITTEN"})
  void aCrashAtAnyPointIsFinishedByTheRecovery(WriteHook.Point point) throws Exception {
    crashOnceAt(point);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.refresh();

    // Within the lag, the writer may still be alive: not checked yet.
    assertThat(fixture.recorder.recover()).isEqualTo(new EventRecorder.Sweep(0, 0));
    fixture.clock.advance(Duration.ofMinutes(2));
    // Write B never happened after a crash at CONTACT_WRITTEN; it was handed over at EVENT_WRITTEN.
    assertThat(fixture.recorder.recover())
        .isEqualTo(new EventRecorder.Sweep(1, point == WriteHook.Point.CONTACT_WRITTEN ? 1 : 0));

    assertExactlyOnce();
  }

  /**
   * The sweep goes through every contact of its window page after page, contacts whose newest
   * entries share a millisecond included, leaves the later ones to the next sweep, and checks
   * each window once.
   */
  @Test
  void theSweepPagesThroughItsWindowOnceAndLeavesLaterContactsToTheNextSweep() throws Exception {
    crashOnceAt(WriteHook.Point.CONTACT_WRITTEN); // no write B: every document is missing
    for (int i = 0; i < 5; i++) {
      int n = i;
      assertThatThrownBy(() -> fixture.recorder.record("old-" + n, visit("e-" + n), visits))
          .isInstanceOf(Crash.class);
      if (i >= 2) {
        fixture.clock.advance(Duration.ofSeconds(1)); // old-0, old-1 and old-2 share an instant
      }
    }
    fixture.clock.advance(Duration.ofMinutes(2));
    assertThatThrownBy(() -> fixture.recorder.record("recent", visit("e-r"), visits)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.refresh();

    assertThat(fixture.recorder.recover(2)).isEqualTo(new EventRecorder.Sweep(5, 5)); // pages of at most two

    for (int i = 0; i < 5; i++) {
      assertThat(fixture.eventDocuments("old-" + i)).isEqualTo(1);
    }
    assertThat(fixture.eventDocuments("recent")).isZero();
    assertThat(fixture.recorder.recover(2)).isEqualTo(new EventRecorder.Sweep(0, 0)); // checked once
    fixture.clock.advance(Duration.ofMinutes(2));
    assertThat(fixture.recorder.recover(2)).isEqualTo(new EventRecorder.Sweep(1, 1));
    assertThat(fixture.eventDocuments("recent")).isEqualTo(1);
  }

  /**
   * The sweep never writes a contact: a missing document is written and its entry stays in the
   * outbox until the contact's next write after the grace, which sees the document searchable.
   */
  @Test
  void theSweepWritesMissingDocumentsAndNeverTheContact() throws Exception {
    crashOnceAt(WriteHook.Point.CONTACT_WRITTEN);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    long version = fixture.contacts.read("c-1").orElseThrow().seqNo();
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.refresh();

    assertThat(fixture.recorder.recover()).isEqualTo(new EventRecorder.Sweep(1, 1));

    assertThat(fixture.contacts.read("c-1").orElseThrow().seqNo()).isEqualTo(version);
    assertThat(outbox("c-1")).containsExactly("e-1");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(1);
    fixture.recorder.record("c-1", visit("e-2"), visits);
    // The read found e-1's document: it leaves a grace later (docs/store.md "Pruning without a read").
    assertThat(outbox("c-1")).containsExactly("e-1", "e-2");
    assertThat(stored("c-1").score()).isEqualTo(2);
  }

  /**
   * Two instances sweep at once; the one that finishes last had read the mark before the other
   * moved it further: its conditional write loses, and the mark never moves back.
   */
  @Test
  void aSweepBesideALaterOneNeverMovesTheMarkBack() throws Exception {
    fixture.recorder.record("c-1", visit("e-1"), visits);
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.refresh();
    SettableClock later = new SettableClock(fixture.clock.instant().plus(Duration.ofMinutes(10)));
    EventRecorder other = new EventRecorder(fixture.contacts, fixture.events, later, fixture.settings);
    AtomicInteger pages = new AtomicInteger();
    fixture.recorder.hook(point -> {
      if (point == WriteHook.Point.SWEEP_READ && pages.getAndIncrement() == 0) {
        other.recover();
      }
    });

    fixture.recorder.recover();

    Instant otherThrough = later.instant().minus(fixture.settings.recoveryLag());
    assertThat(fixture.contacts.sweepMark().read().through()).isEqualTo(otherThrough);
  }

  /** A crash before any write: nothing happened, the retry applies the event. */
  @Test
  void aCrashBeforeTheFirstWriteLeavesNothingAndTheRetryApplies() throws Exception {
    crashOnceAt(WriteHook.Point.EVALUATED);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    assertThat(fixture.contacts.read("c-1")).isEmpty();
    fixture.recorder.hook(WriteHook.NONE);

    assertThat(fixture.recorder.record("c-1", visit("e-1"), visits).replayed()).isFalse();
    assertExactlyOnce();
  }

  /** Another writer changes the contact between the read and the write: nothing of it is lost. */
  @Test
  void aConcurrentChangeIsKeptAndTheEventReevaluated() {
    putProfile("Jean");
    AtomicInteger writes = new AtomicInteger();
    fixture.recorder.hook(point -> {
      if (point == WriteHook.Point.EVALUATED && writes.getAndIncrement() == 0) {
        putProfile("Jean-Pierre");
      }
    });

    EventRecorder.Outcome outcome = fixture.recorder.record("c-1", visit("e-1"), visits);

    assertThat(writes).hasValue(2); // evaluated twice: the first write lost
    assertThat(outcome.replayed()).isFalse();
    assertThat(stored("c-1").firstName()).isEqualTo("Jean-Pierre");
    assertThat(stored("c-1").score()).isEqualTo(1);
  }

  /** Every attempt loses: the caller is told to retry, and nothing is applied. */
  @Test
  void aContactThatKeepsChangingEndsInBusyAndNothingIsApplied() throws Exception {
    putProfile("Jean");
    EventRecorder twice = new EventRecorder(fixture.contacts, fixture.events, fixture.clock,
        new EventSettings(2, Duration.ofMillis(1), 100, Duration.ofSeconds(30)));
    twice.hook(point -> {
      if (point == WriteHook.Point.EVALUATED) {
        putProfile("Jean " + System.nanoTime());
      }
    });

    assertThatThrownBy(() -> twice.record("c-1", visit("e-1"), visits)).isInstanceOf(ContactBusyException.class);
    assertThat(stored("c-1").score()).isZero();
    assertThat(fixture.eventDocuments("c-1")).isZero();
  }

  private void putProfile(String firstName) {
    Contact given = fixture.json.convertValue(Map.of("id", "c-1", "firstName", firstName), Contact.class);
    fixture.contacts.put(new ProfileUpdate(given, java.util.Set.of(), false, false), fixture.clock.instant(), 10);
  }

  /**
   * A crash after the contact write, then other events of the same contact come later: the
   * next one writes the missing document (it adopts the entry), and the one after lets the entry
   * go.
   */
  @ParameterizedTest
  @EnumSource(value = WriteHook.Point.class, names = {"CONTACT_WRITTEN", "EVENT_WRITTEN"})
  void theNextEventsFinishWhatACrashLeft(WriteHook.Point point) throws Exception {
    crashOnceAt(point);
    assertThatThrownBy(() -> fixture.recorder.record("c-1", visit("e-1"), visits)).isInstanceOf(Crash.class);
    fixture.recorder.hook(WriteHook.NONE);
    fixture.clock.advance(Duration.ofMinutes(1));

    fixture.recorder.record("c-1", visit("e-2"), visits);

    assertThat(stored("c-1").score()).isEqualTo(2);
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(2); // refreshes: both are searchable now
    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.recorder.record("c-1", visit("e-3"), visits);
    assertThat(stored("c-1").score()).isEqualTo(3);
    // e-1 leaves here: this process saw its document written (by e-1's write B, or by e-2's adoption).
    assertThat(outbox("c-1")).endsWith("e-3");
    fixture.settle();
    fixture.clock.advance(Duration.ofMinutes(1));
    fixture.recorder.record("c-1", visit("e-4"), visits);
    assertThat(outbox("c-1")).containsExactly("e-4");
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(4);
  }

  /**
   * An old entry whose document exists but is not searchable yet stays in the outbox: a search
   * would miss it, so taking it out would make the history lose it for a moment.
   */
  @Test
  void anEntryLeavesTheOutboxOnlyOnceSearchesSeeItsDocument() throws Exception {
    EventRecorder recorder = searching();
    CompiledRuleset counting = StoreFixture.compile("""
        segment "Twice"
        when count(page_visit within 7 days) >= 2
        then tag "SEEN_BEFORE"
        end
        """);
    pauseRefreshes();
    recorder.record("c-1", visit("e-1"), counting);
    fixture.clock.advance(Duration.ofMinutes(1));

    recorder.record("c-1", visit("e-2"), counting);

    // e-1's document is written but no refresh ran: it must still be in the outbox.
    assertThat(fixture.contacts.read("c-1").orElseThrow().outbox()).extracting(PendingEvent::eventId)
        .containsExactly("e-1", "e-2");
    assertThat(stored("c-1").tags()).containsEntry("SEEN_BEFORE", 1); // e-2 saw e-1 in the history
    // Had e-1 left the outbox, searches (not refreshed) would not see it and the history would lose it.
    assertThat(recorder.facts("c-1", counting, fixture.clock.instant(), new ArrayList<>()).orElseThrow()
        .history()).extracting(Event::id).containsExactlyInAnyOrder("e-1", "e-2");
    fixture.refresh();
    fixture.clock.advance(Duration.ofMinutes(1));
    recorder.record("c-1", visit("e-3"), counting);
    assertThat(fixture.contacts.read("c-1").orElseThrow().outbox()).extracting(PendingEvent::eventId)
        .containsExactly("e-3");
    assertThat(stored("c-1").tags()).containsEntry("SEEN_BEFORE", 2);
  }

  /** An event both in the outbox and searchable (written, refreshed, not pruned yet) counts once. */
  @Test
  void historyCountsAnEventInTheOutboxAndTheIndexOnce() throws Exception {
    EventRecorder recorder = searching();
    CompiledRuleset counting = StoreFixture.compile("""
        segment "Frequent"
        when count(page_visit within 7 days) >= 3
        then tag "FREQUENT"
        end
        """);
    recorder.record("c-1", visit("e-1"), counting);
    fixture.refresh();
    assertThat(fixture.contacts.read("c-1").orElseThrow().outbox()).extracting(PendingEvent::eventId)
        .containsExactly("e-1");

    EventRecorder.Facts facts = recorder.facts("c-1", counting, fixture.clock.instant(), new ArrayList<>())
        .orElseThrow();
    assertThat(facts.history()).extracting(Event::id).containsExactly("e-1");

    recorder.record("c-1", visit("e-2"), counting);
    // e-2 counts itself and e-1 (outbox and index): two, not three.
    assertThat(stored("c-1").tags()).doesNotContainKey("FREQUENT");
    fixture.refresh();
    recorder.record("c-1", visit("e-3"), counting);
    assertThat(stored("c-1").tags()).containsEntry("FREQUENT", 1);
  }

  // A recorder whose contacts keep no recent events: every history read searches the events
  // index and merges the outbox, the path these tests are about.
  private EventRecorder searching() {
    EventSettings s = fixture.settings;
    return new EventRecorder(fixture.contacts, fixture.events, fixture.clock,
        new EventSettings(s.maxAttempts(), s.maxBackoff(), s.maxHistory(), s.outboxGrace(), s.recentWindow(), 0));
  }

  // No background refresh on the events index: documents are searchable only after refresh().
  private void pauseRefreshes() throws Exception {
    fixture.store.client().indices().putSettings(p -> p.index(fixture.indices.events())
        .settings(s -> s.refreshInterval(t -> t.time("-1"))));
  }

  private void crashOnceAt(WriteHook.Point point) {
    fixture.recorder.hook(reached -> {
      if (reached == point) {
        throw new Crash();
      }
    });
  }

  // After the lag and a sweep: one application, one document, one outbox entry.
  private void assertExactlyOnce() throws Exception {
    fixture.refresh();
    fixture.clock.advance(Duration.ofMinutes(2));
    fixture.recorder.recover();
    assertThat(stored("c-1").score()).isEqualTo(1);
    assertThat(stored("c-1").tags()).containsEntry("VISITOR", 1);
    assertThat(fixture.eventDocuments("c-1")).isEqualTo(1);
    assertThat(outbox("c-1")).containsExactly("e-1");
    assertThat(fixture.recorder.record("c-1", visit("e-1"), visits).replayed()).isTrue();
    assertThat(stored("c-1").score()).isEqualTo(1);
  }

  // Records a page visit; answers how many reads of the refreshed view its pruning made.
  private int readsToRecord(EventRecorder recorder, String contactId, String eventId) {
    int before = fixture.searchableReadRequests.get();
    recorder.record(contactId, visit(eventId), visits);
    return fixture.searchableReadRequests.get() - before;
  }

  private List<String> outbox(String contactId) {
    return fixture.contacts.read(contactId).orElseThrow().outbox().stream().map(PendingEvent::eventId).toList();
  }

  /** The process "dies" here. */
  static final class Crash extends RuntimeException {}

  private static final String JOURNEY = """
      default owner "sales@acme.fr"

      nurture "Leasing"
      when event is page_visit
      then enroll in "leasing-101"
      end

      campaign "leasing-101"
        step "intro" after 0 days
      end

      loyalty "Points"
      when event is purchase
      then award event.amount points expiring in 365 days
      end

      alert "Back"
      when event is page_visit
      then notify owner with "back" at most once per 1 day
      end
      """;

  @Test
  void throttledAlertsEnrollmentsAndLedgerCarryAcrossCalls() {
    CompiledRuleset journey = StoreFixture.compile(JOURNEY);
    Contact jean = Contact.builder().id("c-1").email("jean@example.fr").firstName("Jean")
        .consent(new Contact.Consent(true, null)).build();
    assertThat(fixture.contacts.write(StoredContact.absent(jean), jean, List.of(), fixture.clock.instant())).isTrue();

    List<String> first = types(fixture.recorder.record("c-1", visit("v-1"), journey));
    fixture.clock.advance(Duration.ofHours(1));
    List<Object> second = decisions(fixture.recorder.record("c-1", visit("v-2"), journey));
    fixture.clock.advance(Duration.ofHours(1));
    fixture.recorder.record("c-1", purchase("p-1", 100), journey);
    List<Object> fourth = decisions(fixture.recorder.record("c-1", purchase("p-2", 50), journey));

    // The step after 0 days is decided in the evaluation that enrolls (docs/campaigns.md).
    assertThat(first).containsExactly("ENROLL", "MESSAGE", "ALERT");
    assertThat(second).singleElement().satisfies(d -> assertThat(asMap(d))
        .containsEntry("type", "SUPPRESSED").containsEntry("of", "ALERT").containsEntry("reason", "throttled"));
    assertThat(fourth).singleElement().satisfies(d -> assertThat(asMap(d))
        .containsEntry("type", "POINTS").hasEntrySatisfying("balance", b -> assertThat(b).hasToString("150")));
    Contact contact = stored("c-1");
    assertThat(contact.enrollments()).extracting(Contact.Enrollment::campaign).containsExactly("leasing-101");
    assertThat(contact.alerts()).containsKey("Back");
    assertThat(contact.ledger()).hasSize(2);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object decision) {
    return (Map<String, Object>) decision;
  }

  private Event purchase(String id, int amount) {
    return new Event(id, "purchase", fixture.clock.instant(), Map.of("amount", amount));
  }

  @SuppressWarnings("unchecked")
  private static List<Object> decisions(EventRecorder.Outcome outcome) {
    return (List<Object>) outcome.decision().get("decisions");
  }

  private static List<String> types(EventRecorder.Outcome outcome) {
    return decisions(outcome).stream().map(d -> (String) ((Map<?, ?>) d).get("type")).toList();
  }

  @Test
  void historyCountsWhatIsRecordedAndOnlyReadsTheWindow() throws Exception {
    CompiledRuleset frequent = StoreFixture.compile("""
        segment "Frequent"
        when count(page_visit within 7 days) >= 3
        then tag "FREQUENT"
        end

        scoring "Buyer"
        when days since last purchase < 100
        then add 10 to score
        end
        """);
    Instant now = fixture.clock.instant();
    List<PendingEvent> old = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      old.add(recorded("old-" + i, "page_visit", now.minus(Duration.ofDays(30 + i))));
      old.add(recorded("open-" + i, "email_open", now.minus(Duration.ofHours(i))));
    }
    old.add(recorded("p-old", "purchase", now.minus(Duration.ofDays(200))));
    old.add(recorded("p-new", "purchase", now.minus(Duration.ofDays(50))));
    fixture.events.writeSearchable("c-1", old);

    fixture.recorder.record("c-1", visit("v-1"), frequent);
    fixture.recorder.record("c-1", visit("v-2"), frequent);
    assertThat(stored("c-1").tags()).doesNotContainKey("FREQUENT");
    fixture.recorder.record("c-1", visit("v-3"), frequent);
    assertThat(stored("c-1").tags()).containsEntry("FREQUENT", 1);

    fixture.refresh();
    EventLog.History read = fixture.events.history("c-1", fixture.recorder.needs(frequent), now, 1_000);
    assertThat(read.events()).extracting(Event::id).containsExactlyInAnyOrder("v-1", "v-2", "v-3", "p-new");
    assertThat(read.truncated()).isFalse();
    EventLog.History capped = fixture.events.history("c-1", fixture.recorder.needs(frequent), now, 2);
    assertThat(capped.truncated()).isTrue();
    assertThat(capped.events()).extracting(Event::type).containsExactly("page_visit", "page_visit", "purchase");
  }

  private static PendingEvent recorded(String id, String type, Instant at) {
    return new PendingEvent(id, type, at, Map.of(), "test", 1, at, DecisionJson.stored(Map.of()));
  }
}
