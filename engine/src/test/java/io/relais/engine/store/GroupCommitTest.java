package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import io.relais.engine.contact.Contact;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group committer with a fake bulk sender that the test can hold, so what each bulk holds
 * is decided by the test, not by timing.
 */
class GroupCommitTest {

  /** Long enough never to be reached by a working committer; a broken one fails the test. */
  private static final long DEADLINE_SECONDS = 30;

  private final FakeBulks store = new FakeBulks();
  private final ExecutorService writers = Executors.newCachedThreadPool();
  private final List<GroupCommit> opened = new ArrayList<>();

  @AfterEach
  void stop() {
    store.release();
    opened.forEach(GroupCommit::close);
    writers.shutdownNow();
  }

  private GroupCommit committer(int maxBatch, int maxQueued, Duration queueWait) {
    GroupCommit commit = new GroupCommit(store, new GroupCommitSettings(maxBatch, maxQueued, queueWait));
    opened.add(commit);
    return commit;
  }

  private GroupCommit committer() {
    return committer(100, 100, Duration.ofMinutes(1));
  }

  @Test
  void writersQueuedDuringABulkGoTogetherInTheNextAndEachGetsItsOwnItems() throws Exception {
    GroupCommit commit = committer();
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
    Future<List<BulkResponseItem>> b = write(commit, "b");
    Future<List<BulkResponseItem>> c = write(commit, "c1", "c2");
    Future<List<BulkResponseItem>> d = write(commit, "d");
    await("three writers queued", () -> commit.queued() == 3);

    store.release();

    assertThat(ids(get(first))).containsExactly("a");
    assertThat(ids(get(b))).containsExactly("b");
    assertThat(ids(get(c))).containsExactly("c1", "c2");
    assertThat(ids(get(d))).containsExactly("d");
    assertThat(store.bulks).hasSize(2);
    assertThat(store.bulks.get(1)).containsExactlyInAnyOrder("b", "c1", "c2", "d");
  }

  @Test
  void anIdleCommitterSendsAtOnce() throws Exception {
    GroupCommit commit = committer();

    assertThat(ids(commit.write(List.of(operation("a"))))).containsExactly("a");
    assertThat(ids(commit.write(List.of(operation("b"))))).containsExactly("b");
    assertThat(store.bulks).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void pacedWritersWaitForEachOtherWhileTheBatchIsSmall() throws Exception {
    // A linger far longer than the test: only the batch reaching 3 operations lets it go.
    GroupCommit commit = new GroupCommit(store,
        new GroupCommitSettings(100, 100, Duration.ofMinutes(1), Duration.ofMinutes(10), 3));
    opened.add(commit);

    Future<List<BulkResponseItem>> a = write(commit, "a");
    await("a queued", () -> commit.queued() == 1);
    Future<List<BulkResponseItem>> b = write(commit, "b");
    await("b queued", () -> commit.queued() == 2);
    assertThat(store.started.get()).as("nothing sent while the batch is small").isZero();
    Future<List<BulkResponseItem>> c = write(commit, "c1", "c2");

    assertThat(ids(get(a))).containsExactly("a");
    assertThat(ids(get(c))).containsExactly("c1", "c2");
    assertThat(ids(get(b))).containsExactly("b");
    assertThat(store.bulks).containsExactly(List.of("a", "b", "c1", "c2"));
  }

  @Test
  void aBatchAlreadyLargeGoesWithoutLingering() throws Exception {
    GroupCommit commit = new GroupCommit(store,
        new GroupCommitSettings(100, 100, Duration.ofMinutes(1), Duration.ofMinutes(10), 2));
    opened.add(commit);

    assertThat(ids(commit.write(List.of(operation("a"), operation("b"))))).containsExactly("a", "b");
    assertThat(store.bulks).containsExactly(List.of("a", "b"));
  }

  /** Two contact writes in one bulk, one of them loses its race: only its writer re-reads. */
  @Test
  void aConflictingItemFailsOnlyItsWriter() throws Exception {
    GroupCommit commit = committer();
    ElasticsearchStore unused = ElasticsearchStore.connect(StoreSettings.local(URI.create("http://127.0.0.1:9")));
    try {
      StoreCalls calls = StoreCalls.uncounted();
      ContactStore contacts = new ContactStore(unused, new StoreIndices(unused, calls), calls,
          new StoreUnitTest.StoreFixtureJson().json, commit);
      store.conflicts.add("loser");
      Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
      Future<Boolean> winner = writers.submit(() -> writeContact(contacts, "winner"));
      Future<Boolean> loser = writers.submit(() -> writeContact(contacts, "loser"));
      await("both contact writes queued", () -> commit.queued() == 2);

      store.release();

      get(first);
      assertThat(get(winner)).isTrue();
      assertThat(get(loser)).isFalse();
      assertThat(store.bulks.get(1)).containsExactlyInAnyOrder("winner", "loser");
    } finally {
      unused.close();
    }
  }

  private static boolean writeContact(ContactStore contacts, String id) {
    Contact contact = Contact.withId(id);
    return contacts.write(StoredContact.absent(contact), contact, List.of(), Instant.parse("2026-11-29T00:00:00Z"));
  }

  @Test
  void aFailedBulkFailsEveryWriterOfItsBatchAndTheNextBatchGoes() throws Exception {
    GroupCommit commit = committer();
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
    Future<List<BulkResponseItem>> b = write(commit, "b");
    Future<List<BulkResponseItem>> c = write(commit, "c");
    await("two writers queued", () -> commit.queued() == 2);
    store.failAt.put(2, new StoreUnavailableException("The store did not answer (bulk write).", null));

    store.release();

    assertThat(ids(get(first))).containsExactly("a");
    for (Future<List<BulkResponseItem>> failed : List.of(b, c)) {
      assertThatThrownBy(() -> get(failed)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(StoreUnavailableException.class).hasMessageContaining("did not answer");
    }
    assertThat(ids(commit.write(List.of(operation("d"))))).containsExactly("d");
  }

  /** A bug in the sender (or a wrong answer) fails its batch, not the flusher. */
  @Test
  void theFlusherOutlivesAnyFailure() throws Exception {
    GroupCommit commit = committer();
    store.failAt.put(1, new IllegalArgumentException("a bug"));
    assertThatThrownBy(() -> commit.write(List.of(operation("a")))).isInstanceOf(IllegalArgumentException.class);
    store.itemsMissing.set(1);
    assertThatThrownBy(() -> commit.write(List.of(operation("b"), operation("c"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 results for 2 operations");

    assertThat(ids(get(write(commit, "d")))).containsExactly("d");
    assertThat(commit.running()).isTrue();
  }

  @Test
  void aBulkHoldsAtMostMaxBatchOperationsAndAWriterIsNeverSplit() throws Exception {
    GroupCommit commit = committer(3, 100, Duration.ofMinutes(1));
    store.hold();
    List<Future<List<BulkResponseItem>>> all = new ArrayList<>();
    all.add(write(commit, "a"));
    await("the first bulk", () -> store.started.get() == 1);
    // Queued one after the other, so the order is known: b c d | e f | g1..g4 (alone, too big) | h
    String[][] writes = {{"b"}, {"c"}, {"d"}, {"e", "f"}, {"g1", "g2", "g3", "g4"}, {"h"}};
    for (int i = 0; i < writes.length; i++) {
      all.add(write(commit, writes[i]));
      int queued = i + 1;
      await("writer " + queued + " queued", () -> commit.queued() == queued);
    }

    store.release();

    for (Future<List<BulkResponseItem>> f : all) {
      get(f);
    }
    assertThat(store.bulks).containsExactly(List.of("a"), List.of("b", "c", "d"), List.of("e", "f"),
        List.of("g1", "g2", "g3", "g4"), List.of("h"));
  }

  @Test
  void aFullQueueRefusesAWriterWhenItMayNotWait() throws Exception {
    AtomicInteger counted = new AtomicInteger();
    GroupCommit commit = new GroupCommit(store, new GroupCommitSettings(100, 2, Duration.ZERO),
        refused -> counted.incrementAndGet());
    opened.add(commit);
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
    Future<List<BulkResponseItem>> b = write(commit, "b");
    Future<List<BulkResponseItem>> c = write(commit, "c");
    await("two writers queued", () -> commit.queued() == 2);

    Future<List<BulkResponseItem>> refused = write(commit, "d");
    assertThatThrownBy(() -> get(refused)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StoreUnavailableException.class).hasMessageContaining("Too many writes queued");
    assertThat(commit.writeLater(List.of(operation("e")))).isCompletedExceptionally();
    // Refusals never reach StoreCalls, which counts the store's other failures: counted here.
    assertThat(counted).hasValue(2);

    store.release();
    get(first);
    assertThat(ids(get(b))).containsExactly("b");
    assertThat(ids(get(c))).containsExactly("c");
    assertThat(store.bulks).noneMatch(bulk -> bulk.contains("d"));
  }

  @Test
  void aFullQueueHoldsAWriterBackUntilThereIsRoom() throws Exception {
    GroupCommit commit = committer(100, 1, Duration.ofMinutes(1));
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
    Future<List<BulkResponseItem>> b = write(commit, "b");
    await("b queued", () -> commit.queued() == 1);
    Future<List<BulkResponseItem>> c = write(commit, "c");
    await("c waiting for room", () -> commit.waitingForRoom() == 1);
    assertThat(commit.queued()).isEqualTo(1);

    store.release();

    get(first);
    assertThat(ids(get(b))).containsExactly("b");
    assertThat(ids(get(c))).containsExactly("c");
  }

  @Test
  void closeSendsWhatIsQueuedRefusesNewWritesAndStopsTheThread() throws Exception {
    GroupCommit commit = committer();
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
    Future<List<BulkResponseItem>> queued = write(commit, "b");
    await("b queued", () -> commit.queued() == 1);
    Future<?> closing = writers.submit(commit::close);
    await("closed", commit::closed);

    assertThatThrownBy(() -> commit.write(List.of(operation("c"))))
        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("closed");
    store.release();
    get(closing);

    assertThat(ids(get(first))).containsExactly("a");
    assertThat(ids(get(queued))).containsExactly("b");
    assertThat(commit.running()).isFalse();
  }

  /** Write B: the caller goes on at once; its operations leave in the next bulk. */
  @Test
  void aWriteLaterReturnsAtOnceAndLeavesWithTheNextBulk() throws Exception {
    GroupCommit commit = committer();
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);

    java.util.concurrent.CompletableFuture<List<BulkResponseItem>> later = commit.writeLater(List.of(operation("b")));
    Future<List<BulkResponseItem>> c = write(commit, "c");
    await("c queued behind b", () -> commit.queued() == 2);
    assertThat(later).isNotDone();
    assertThat(commit.awaitIdle(Duration.ZERO)).isFalse();

    store.release();
    get(first);
    assertThat(ids(later.get(DEADLINE_SECONDS, TimeUnit.SECONDS))).containsExactly("b");
    assertThat(ids(get(c))).containsExactly("c");
    assertThat(commit.awaitIdle(Duration.ofSeconds(DEADLINE_SECONDS))).isTrue();
    assertThat(store.bulks).containsExactly(List.of("a"), List.of("b", "c"));
  }

  /** A write later never holds its caller back: with the queue full it fails at once, whatever the wait. */
  @Test
  void aWriteLaterIsRefusedAtOnceByAFullQueue() throws Exception {
    GroupCommit commit = committer(100, 1, Duration.ofMinutes(1));
    Future<List<BulkResponseItem>> first = firstBulkHeld(commit);
    Future<List<BulkResponseItem>> b = write(commit, "b");
    await("b queued", () -> commit.queued() == 1);

    java.util.concurrent.CompletableFuture<List<BulkResponseItem>> refused = commit.writeLater(List.of(operation("c")));

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join).cause().isInstanceOf(StoreUnavailableException.class);
    store.release();
    get(first);
    get(b);
    assertThat(store.bulks).noneMatch(bulk -> bulk.contains("c"));
  }

  @Test
  void aGroupedReaderSendsFromAThreadOfTheNameItWasGiven() {
    List<String> senders = new java.util.concurrent.CopyOnWriteArrayList<>();
    StoreReads sender = documents -> {
      senders.add(Thread.currentThread().getName());
      return new java.util.ArrayList<>(java.util.Collections.nCopies(documents.size(), null));
    };
    var document = co.elastic.clients.elasticsearch.core.mget.MultiGetOperation.of(d -> d.index("i").id("x"));
    try (GroupRead named = new GroupRead("relais-group-read-searchable", sender, GroupCommitSettings.defaults(), e -> { });
        GroupRead plain = new GroupRead(sender, GroupCommitSettings.defaults())) {
      named.read(List.of(document));
      plain.read(List.of(document));
    }
    assertThat(senders).containsExactly("relais-group-read-searchable", "relais-group-read");
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> new GroupCommitSettings(0, 1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupCommitSettings(1, 0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupCommitSettings(1, 1, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Writes "a" with the store holding its bulk: the flusher is busy, later writes queue. */
  private Future<List<BulkResponseItem>> firstBulkHeld(GroupCommit commit) {
    store.hold();
    Future<List<BulkResponseItem>> first = write(commit, "a");
    await("the first bulk", () -> store.started.get() == 1);
    return first;
  }

  private Future<List<BulkResponseItem>> write(GroupCommit commit, String... ids) {
    List<BulkOperation> operations = Arrays.stream(ids).map(GroupCommitTest::operation).toList();
    return writers.submit(() -> commit.write(operations));
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static BulkOperation operation(String id) {
    return BulkOperation.of(b -> b.index(i -> i.index("test").id(id).document(Map.of("id", id))));
  }

  private static List<String> ids(List<BulkResponseItem> items) {
    return items.stream().map(BulkResponseItem::id).toList();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a polling interval, not a wait for an outcome
    }
  }

  /** Answers every operation 201, or 409 for ids in {@code conflicts}; can be held and made to fail. */
  static final class FakeBulks implements StoreWrites {
    final List<List<String>> bulks = new CopyOnWriteArrayList<>();
    final Set<String> conflicts = ConcurrentHashMap.newKeySet();
    /** Thrown by the n-th bulk (counting from 1). */
    final Map<Integer, RuntimeException> failAt = new ConcurrentHashMap<>();
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger itemsMissing = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    void hold() {
      gate = new CountDownLatch(1);
    }

    void release() {
      gate.countDown();
    }

    @Override
    public List<BulkResponseItem> write(List<BulkOperation> operations) {
      int call = started.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      List<String> ids = operations.stream().map(o -> o.isIndex() ? o.index().id() : o.create().id()).toList();
      bulks.add(ids);
      RuntimeException failure = failAt.remove(call);
      if (failure != null) {
        throw failure;
      }
      List<BulkResponseItem> items = new ArrayList<>(ids.stream().map(this::item).toList());
      for (int missing = itemsMissing.getAndSet(0); missing > 0; missing--) {
        items.remove(items.size() - 1);
      }
      return items;
    }

    private BulkResponseItem item(String id) {
      if (conflicts.contains(id)) {
        return BulkResponseItem.of(i -> i.operationType(OperationType.Create).index("test").id(id).status(409)
            .error(e -> e.type("version_conflict_engine_exception").reason("[" + id + "]: version conflict")));
      }
      return BulkResponseItem.of(i -> i.operationType(OperationType.Index).index("test").id(id).status(201));
    }
  }
}
