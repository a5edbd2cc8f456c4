package io.relais.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.engine.store.StoreUnavailableException;
import io.relais.engine.testing.Await;
import io.relais.engine.testing.TestStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Starting and finishing runs on a real node: the run and its slices written in one request,
 * nothing of a failed start worked or left, a run done only when every one of its slices is.
 */
class SlicedRunsIT {

  private static final String RUN = "feed00000001";
  private static final Duration LIMIT = Duration.ofSeconds(60);

  private BatchParts parts;
  private SlicedRuns runs;
  private String index;

  @BeforeEach
  void open() {
    parts = new BatchParts(TestStore.freshSettings());
    BatchSettings settings =
        new BatchSettings(3, 20, 4, 2, Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMillis(100));
    // Slices over every contact (none here) with nothing to do per page: each is done at once.
    SlicedRuns.SliceWork nothing = new SlicedRuns.SliceWork() {
      @Override
      public Query query() {
        return Query.of(q -> q.matchAll(m -> m));
      }

      @Override
      @SuppressWarnings("rawtypes")
      public void page(List<co.elastic.clients.elasticsearch.core.search.Hit<Map>> hits,
          Map<String, Object> next, java.util.concurrent.ExecutorService parts) {}
    };
    runs = new SlicedRuns(parts.store, parts.calls, Clock.systemUTC(), settings, "test-runs",
        parts.indices.contacts(), "Test run", run -> Optional.of(nothing));
    runs.ensureIndex();
    index = parts.store.settings().index("test-runs");
    runs.ids(() -> RUN);
  }

  @AfterEach
  void close() {
    runs.close();
    parts.close();
  }

  private static Map<String, Object> counts() {
    return new LinkedHashMap<>(Map.of("done", 0L));
  }

  private long documentsOf(String run) throws Exception {
    return parts.store.client().count(c -> c.index(index)
        .query(q -> q.term(t -> t.field("runId").value(run)))).count();
  }

  private static Map<String, Object> slice(String run, int k) {
    return SlicedRuns.newSlice(run, k, counts());
  }

  private void put(String id, Map<String, Object> document) throws Exception {
    parts.store.client().index(i -> i.index(index).id(id).document(document).refresh(Refresh.True));
  }

  private String state(String run) {
    return runs.read(run).map(r -> (String) r.run().get("state")).orElse("absent");
  }

  @Test
  void aRunAndEachOfItsSlicesAreSearchableAndRunningWhenItsStartIsAnswered() throws Exception {
    assertThat(runs.create(Map.of("ruleset", "r"), counts())).isEqualTo(RUN);

    assertThat(documentsOf(RUN)).as("the run and its 3 slices").isEqualTo(4);
    SlicedRuns.Run read = runs.read(RUN).orElseThrow();
    assertThat(read.run()).containsEntry("state", "RUNNING").containsEntry("ruleset", "r");
    assertThat(read.slices()).extracting(s -> s.get("state")).containsExactly("OPEN", "OPEN", "OPEN");
  }

  /**
   * A slice already there under the run's new id can only be this start's own, written by a
   * first send that was sent again (the id is random): the start succeeds and the run has every
   * slice, once.
   */
  @Test
  void aSliceAnsweredAsAConflictBecauseItsFirstSendWasAppliedCountsAsWritten() throws Exception {
    put(RUN + ":1", slice(RUN, 1));

    assertThat(runs.create(Map.of("ruleset", "r"), counts())).isEqualTo(RUN);

    assertThat(runs.read(RUN).orElseThrow().slices()).extracting(s -> s.get("slice"))
        .containsExactlyInAnyOrder(0, 1, 2);
    assertThat(state(RUN)).isEqualTo("RUNNING");
  }

  /**
   * Slices the store refuses fail the start, and the run document it wrote is removed: a run
   * without all its slices would stay unfinished, or finish without their contacts.
   */
  @Test
  void refusedSlicesFailTheStartAndLeaveNothing() throws Exception {
    // A slice's counts the index's mapping cannot take: the bulk refuses those items (400).
    Map<String, Object> refused = new LinkedHashMap<>(Map.of("leaseUntil", List.of("not a date")));

    assertThatThrownBy(() -> runs.create(Map.of("ruleset", "r"), refused))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(RUN + ":");

    assertThat(runs.read(RUN)).isEmpty();
    assertThat(documentsOf(RUN)).isZero();
  }

  /** A refused run document fails the start, and the slices written with it are removed. */
  @Test
  void aRefusedRunFailsTheStartAndItsSlicesAreRemoved() throws Exception {
    assertThatThrownBy(() -> runs.create(Map.of("leaseUntil", "not a date"), counts()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot create " + RUN);

    assertThat(documentsOf(RUN)).as("the 3 slices written beside the refused run").isZero();
  }

  /**
   * What a start that failed and could not clean up leaves (a STARTING run and its slices) is
   * never worked, while a run started after it is worked to its end.
   */
  @Test
  void theSlicesOfARunThatNeverFinishedStartingAreNeverWorked() throws Exception {
    String stuck = "feed0000dead";
    Map<String, Object> run = new LinkedHashMap<>(Map.of("kind", "run", "runId", stuck,
        "state", "STARTING", "slices", 3, "pit", "none", "createdAt", Instant.now().toString()));
    put(stuck, run);
    for (int k = 0; k < 3; k++) {
      put(stuck + ":" + k, slice(stuck, k));
    }

    runs.startWorker();
    assertThat(runs.create(Map.of("ruleset", "r"), counts())).isEqualTo(RUN);
    Await.until("the run started after it to be done", LIMIT, () -> state(RUN).equals("DONE"));

    assertThat(state(stuck)).isEqualTo("STARTING");
    assertThat(runs.read(stuck).orElseThrow().slices()).allSatisfy(s -> {
      assertThat(s.get("state")).isEqualTo("OPEN");
      assertThat(s.get("owner")).isNull();
    });
  }

  /** A run is done when every slice it has is, not every slice a search finds. */
  @Test
  void aRunMissingASliceIsNotDoneWhenTheSlicesFoundAre() throws Exception {
    String whole = "feed0000aaaa";
    runs.ids(() -> whole);
    runs.create(Map.of("ruleset", "r"), counts());
    runs.ids(() -> RUN);
    runs.create(Map.of("ruleset", "r"), counts());
    parts.store.client().delete(d -> d.index(index).id(RUN + ":2").refresh(Refresh.True));

    runs.startWorker();
    Await.until("the whole run to be done", LIMIT, () -> state(whole).equals("DONE"));
    Await.until("the two slices left to be done", LIMIT, () -> runs.read(RUN).orElseThrow().slices().stream()
        .allMatch(s -> "DONE".equals(s.get("state"))));

    assertThat(state(RUN)).isEqualTo("RUNNING");
  }

  /** Cancelling a run marks its open slices CANCELLED: no search for open slices finds them. */
  @Test
  void cancellingARunClosesItsOpenSlices() throws Exception {
    runs.create(Map.of("ruleset", "r"), counts());

    assertThat(runs.cancel(RUN).orElseThrow().run()).containsEntry("state", "CANCELLED");

    parts.store.client().indices().refresh(r -> r.index(index));
    assertThat(runs.read(RUN).orElseThrow().slices()).extracting(s -> s.get("state"))
        .containsOnly("CANCELLED");
  }

  /**
   * Runs that ended with slices still OPEN (cancelled before their slices were closed, or a slice
   * whose close lost to its worker), more of them than one search for open slices returns (50),
   * do not keep a new run from being worked: the worker leaves the slices of runs it found ended
   * out of its next searches.
   */
  @Test
  void theOpenSlicesOfManyEndedRunsDoNotKeepANewRunFromBeingWorked() throws Exception {
    for (int n = 0; n < 20; n++) { // 60 open slices of ended runs
      String ended = String.format("feed0000c%03d", n);
      put(ended, Map.of("kind", "run", "runId", ended, "state", n % 2 == 0 ? "CANCELLED" : "DONE",
          "slices", 3, "pit", "none", "createdAt", Instant.now().toString()));
      for (int k = 0; k < 3; k++) {
        put(ended + ":" + k, slice(ended, k));
      }
    }
    runs.create(Map.of("ruleset", "r"), counts());

    runs.startWorker();
    Await.until("the new run to be done", LIMIT, () -> state(RUN).equals("DONE"));
  }
}
