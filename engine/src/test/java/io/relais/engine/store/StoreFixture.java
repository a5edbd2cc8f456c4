package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import io.relais.engine.testing.SettableClock;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.relais.dsl.RuleLanguage;
import io.relais.dsl.check.CheckResult;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.Source;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.testing.TestStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The store's parts on a fresh index prefix of the build's node, with a clock the test moves. */
final class StoreFixture implements AutoCloseable {

  final ElasticsearchStore store;
  final ObjectMapper json = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  final SettableClock clock;
  final StoreCalls calls = StoreCalls.uncounted();
  final StoreIndices indices;
  // Writes grouped as in the service, so every test of the protocol runs through group commit.
  final GroupCommit writes;
  // Reads grouped as in the service too.
  final GroupRead reads;
  // And the pruning's reads of the refreshed view, counted.
  final AtomicInteger searchableReadRequests = new AtomicInteger();
  final GroupRead searchableReads;
  // Write B in bulks that wait for a refresh, as in the service.
  final GroupCommit documents;
  final ContactStore contacts;
  final EventLog events;
  final EventSettings settings = new EventSettings(200, Duration.ofMillis(20), 10_000, Duration.ofSeconds(30));
  final EventRecorder recorder;
  final Redemptions redemptions;
  final ContactMerges merges;

  StoreFixture() {
    this(TestStore.freshSettings(), Instant.parse("2026-11-22T10:00:00Z"));
  }

  /**
   * The parts on the index prefix of {@code storeSettings}, their clock at {@code now}: also
   * those of another process working on a test's indices (DueStepWorkerProcess).
   */
  StoreFixture(StoreSettings storeSettings, Instant now) {
    store = ElasticsearchStore.connect(storeSettings);
    clock = new SettableClock(now);
    indices = new StoreIndices(store, calls);
    writes = new GroupCommit(StoreWrites.direct(store, calls), GroupCommitSettings.defaults());
    reads = new GroupRead(StoreReads.direct(store, calls), GroupCommitSettings.defaults());
    searchableReads = new GroupRead(counted(StoreReads.searchable(store, calls)), GroupCommitSettings.defaults());
    documents = documentWrites();
    contacts = new ContactStore(store, indices, calls, json, writes, reads);
    events = new EventLog(store, indices, calls, writes, searchableReads, documents);
    recorder = new EventRecorder(contacts, events, clock, settings);
    redemptions = new Redemptions(contacts, clock, settings);
    merges = new ContactMerges(store, indices, calls, contacts, clock, settings);
    indices.ensureAll();
  }

  static CompiledRuleset compile(String text) {
    CheckResult checked = RuleLanguage.check("test", List.of(new Source("test.rules", text)));
    assertThat(checked.errors()).extracting(Diagnostic::render).isEmpty();
    return CompiledRuleset.compile(checked.ruleset().orElseThrow(), 1);
  }

  /** A page visit now, with id {@code id}. */
  Event visit(String id) {
    return new Event(id, "page_visit", clock.instant(), java.util.Map.of("url", "/offers"));
  }

  /** The stored contact {@code id}, which must exist. */
  Contact stored(String id) {
    return contacts.read(id).orElseThrow().contact();
  }

  /** The document writes of another instance of the service: a log and its writer of their own. */
  GroupCommit documentWrites() {
    return new GroupCommit("relais-group-commit-documents", StoreWrites.searchable(store, calls),
        new GroupCommitSettings(4096, 8192, Duration.ZERO), refused -> { });
  }

  private StoreReads counted(StoreReads reads) {
    return documents -> {
      searchableReadRequests.incrementAndGet();
      return reads.read(documents);
    };
  }

  /**
   * Contacts whose writes go through the group commit but are answered 409, once each, for the
   * documents {@code lied} names although they were written: what a write sent again after a
   * fail-over (by the client, or by the store to a new primary) answers when its first send was
   * applied.
   */
  ContactStore contactsAnsweringConflictFor(java.util.Set<String> lied) {
    java.util.Set<String> left = java.util.concurrent.ConcurrentHashMap.newKeySet();
    left.addAll(lied);
    StoreWrites appliedButConflicting = operations -> writes.write(operations).stream()
        .map(item -> item.error() == null && left.remove(item.id())
            ? co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem.of(b -> b
                .operationType(item.operationType()).index(item.index()).id(item.id()).status(409)
                .error(e -> e.type("version_conflict_engine_exception").reason("[" + item.id()
                    + "]: version conflict, sent again after it was applied")))
            : item)
        .toList();
    return new ContactStore(store, indices, calls, json, appliedButConflicting, reads);
  }

  /** Waits until the event documents handed over without waiting (write B) are written. */
  void settle() throws Exception {
    settle(documents);
  }

  /**
   * Waits until the group commit and {@code documentWrites} emptied their queues. The documents'
   * bulks wait for a refresh, which a test may have paused: the events index is refreshed until
   * they are answered.
   */
  void settle(GroupCommit documentWrites) throws Exception {
    assertThat(writes.awaitIdle(Duration.ofSeconds(30))).as("the group commit emptied its queue").isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!documentWrites.awaitIdle(Duration.ofMillis(100))) {
      assertThat(System.nanoTime()).as("the document writes emptied their queue").isLessThan(deadline);
      store.client().indices().refresh(r -> r.index(indices.events()).ignoreUnavailable(true));
    }
  }

  /** Makes everything written so far visible to searches. */
  void refresh() throws Exception {
    settle();
    store.client().indices().refresh(r -> r.index(indices.contacts(), indices.events()));
  }

  long eventDocuments(String contactId) throws Exception {
    settle();
    refresh();
    return store.client().count(c -> c.index(indices.events())
        .query(q -> q.term(t -> t.field("contactId").value(contactId)))).count();
  }

  @Override
  public void close() throws Exception {
    try {
      settle(); // a document write waiting for a paused refresh would hold its writer's close
    } finally {
      documents.close();
      writes.close();
      reads.close();
      searchableReads.close();
      store.client().indices().delete(d -> d.index(indices.contacts(), indices.events(), indices.recovery())
          .ignoreUnavailable(true));
      store.close();
    }
  }
}
