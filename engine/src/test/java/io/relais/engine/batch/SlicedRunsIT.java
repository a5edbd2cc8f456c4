package io.relais.engine.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.Refresh;
import io.relais.engine.store.StoreUnavailableException;
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

/** Starting a run on a real node: the run and its slices written in one request. */
class SlicedRunsIT {

  private static final String RUN = "feed00000001";

  private BatchParts parts;
  private SlicedRuns runs;
  private String index;

  @BeforeEach
  void open() {
    parts = new BatchParts(TestStore.freshSettings());
    BatchSettings settings =
        new BatchSettings(3, 20, 4, 2, Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMillis(100));
    runs = new SlicedRuns(parts.store, parts.calls, Clock.systemUTC(), settings, "test-runs",
        parts.indices.contacts(), "Test run", run -> Optional.empty());
    runs.ensureIndex();
    index = parts.store.settings().index("test-runs");
    runs.ids(() -> RUN);
  }

  @AfterEach
  void close() {
    parts.close();
  }

  private static Map<String, Object> counts() {
    return new LinkedHashMap<>(Map.of("done", 0L));
  }

  @Test
  void aRunAndEachOfItsSlicesAreSearchableWhenItsStartIsAnswered() throws Exception {
    assertThat(runs.create(Map.of("ruleset", "r"), counts())).isEqualTo(RUN);

    long written = parts.store.client().count(c -> c.index(index)
        .query(q -> q.term(t -> t.field("runId").value(RUN)))).count();
    assertThat(written).as("the run and its 3 slices").isEqualTo(4);
    SlicedRuns.Run read = runs.read(RUN).orElseThrow();
    assertThat(read.run()).containsEntry("state", "RUNNING").containsEntry("ruleset", "r");
    assertThat(read.slices()).extracting(s -> s.get("state")).containsExactly("OPEN", "OPEN", "OPEN");
  }

  /**
   * A slice already there under the run's new id can only be this start's own, written by a
   * first send the store sent again to a new primary (the id is random): the start succeeds and
   * the run has every slice, once.
   */
  @Test
  void aSliceAnsweredAsAConflictBecauseItsFirstSendWasAppliedCountsAsWritten() throws Exception {
    Map<String, Object> slice = new LinkedHashMap<>();
    slice.put("kind", "slice");
    slice.put("runId", RUN);
    slice.put("slice", 1);
    slice.put("state", "OPEN");
    slice.put("owner", null);
    slice.put("leaseUntil", Instant.EPOCH.toString());
    slice.put("after", null);
    slice.putAll(counts());
    parts.store.client().create(c -> c.index(index).id(RUN + ":1").document(slice).refresh(Refresh.True));

    assertThat(runs.create(Map.of("ruleset", "r"), counts())).isEqualTo(RUN);

    assertThat(runs.read(RUN).orElseThrow().slices()).extracting(s -> s.get("slice"))
        .containsExactlyInAnyOrder(0, 1, 2);
  }

  /**
   * Any other refused document fails the start, which the API answers 503, and what the start
   * created is removed.
   */
  @Test
  void aDocumentTheStoreRefusesFailsTheStartAndLeavesNothing() throws Exception {
    // A slice's counts the index's mapping cannot take: the bulk refuses that item (400).
    Map<String, Object> refused = new LinkedHashMap<>(Map.of("leaseUntil", List.of("not a date")));

    assertThatThrownBy(() -> runs.create(Map.of("ruleset", "r"), refused))
        .isInstanceOf(StoreUnavailableException.class).hasMessageContaining(RUN);

    // Nothing of it is left: a run without all its slices would stay RUNNING for good.
    assertThat(runs.read(RUN)).isEmpty();
    long left = parts.store.client().count(c -> c.index(index)
        .query(q -> q.term(t -> t.field("runId").value(RUN)))).count();
    assertThat(left).isZero();
  }
}
