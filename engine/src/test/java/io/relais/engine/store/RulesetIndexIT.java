package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.engine.registry.ActivePointer;
import io.relais.engine.registry.RegistrySettings;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.registry.StoredVersion;
import io.relais.engine.registry.VersionInfo;
import io.relais.engine.testing.TestStore;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ruleset versions and active pointers on the build's Elasticsearch node. */
class RulesetIndexIT {

  private ElasticsearchStore store;
  private RulesetIndex index;

  @BeforeEach
  void connect() {
    store = ElasticsearchStore.connect(TestStore.freshSettings());
    index = new RulesetIndex(store);
    index.ensureExists();
  }

  @AfterEach
  void cleanUp() throws Exception {
    store.client().indices().delete(d -> d.index(index.name()).ignoreUnavailable(true));
    store.close();
  }

  private static Map<String, String> scoring(int points) {
    return Map.of("scoring.rules",
        "scoring \"Visit\"\nwhen event is page_visit\nthen add " + points + " to score\nend\n");
  }

  private RulesetRegistry registry() {
    return new RulesetRegistry(new RulesetIndex(store), Clock.systemUTC(), RegistrySettings.defaults());
  }

  @Test
  void versionsAndTheActivePointerSurviveARestart() throws java.io.IOException {
    RulesetRegistry first = registry();
    Map<String, String> files = new LinkedHashMap<>(scoring(1));
    // A decision table travels with its version (the sample fit grid: a valid DMN model).
    files.put("fit-grid.dmn", java.nio.file.Files.readString(
        java.nio.file.Path.of("..", "rules", "b2b-qualification", "fit-grid.dmn")));
    first.put("leads", files, true, "ana");
    first.put("leads", scoring(2), true, "ana");
    first.put("leads", Map.of("a.rules", "segment \"S\" when has tag \"NEVER\" then untag \"X\" end\n"), false, "bob");
    first.activate("leads", 1, "carla");

    RulesetRegistry restarted = registry();
    restarted.refresh();

    RulesetVersion active = restarted.active("leads").orElseThrow();
    assertThat(active.version()).isEqualTo(1);
    assertThat(active.files()).isEqualTo(files);
    assertThat(active.compiled().version()).isEqualTo(1);
    RulesetRegistry.Entry entry = restarted.get("leads").orElseThrow();
    assertThat(entry.versions()).extracting(VersionInfo::version).containsExactly(1, 2, 3);
    assertThat(entry.versions()).extracting(VersionInfo::createdBy).containsExactly("ana", "ana", "bob");
    assertThat(entry.active().get().activatedBy()).isEqualTo("carla");
    StoredVersion third = restarted.version("leads", 3).orElseThrow();
    assertThat(third.warnings()).extracting(Diagnostic::code).isNotEmpty();
    assertThat(third.warnings().get(0).span().line()).isPositive();
    assertThat(restarted.list()).extracting(RulesetRegistry.Entry::name).containsExactly("leads");
  }

  @Test
  void ensuringTheIndexAgainKeepsItAndItsDocuments() {
    index.create(new StoredVersion("leads", 1, scoring(1), List.of(), Instant.now(), "ana"));

    new RulesetIndex(store).ensureExists();

    assertThat(index.version("leads", 1)).isPresent();
  }

  @Test
  void aVersionNumberIsCreatedOnce() {
    StoredVersion version = new StoredVersion("leads", 1, scoring(1), List.of(), Instant.now(), "ana");

    assertThat(index.create(version)).isTrue();
    assertThat(index.create(new StoredVersion("leads", 1, scoring(2), List.of(), Instant.now(), "bob"))).isFalse();
    assertThat(index.version("leads", 1).get().files()).isEqualTo(scoring(1));
    assertThat(index.version("leads", 2)).isEmpty();
  }

  @Test
  void thePointerIsWrittenOnlyOverTheRevisionItWasReadAt() {
    Optional<ActivePointer> first = index.setPointer("leads", 1, Instant.now(), "ana", Optional.empty());
    assertThat(first).isPresent();
    assertThat(index.setPointer("leads", 2, Instant.now(), "bob", Optional.empty())).isEmpty();

    Optional<ActivePointer> second = index.setPointer("leads", 2, Instant.now(), "bob", first);
    assertThat(second).isPresent();
    assertThat(second.get().isNewerThan(first.get())).isTrue();
    // A writer still holding the first revision loses: its activation would undo the second.
    assertThat(index.setPointer("leads", 3, Instant.now(), "carla", first)).isEmpty();
    assertThat(index.pointer("leads").get().version()).isEqualTo(2);
    assertThat(index.pointers()).extracting(ActivePointer::version).containsExactly(2);
  }

  @Test
  void readsOfAMissingIndexFindNothing() throws Exception {
    store.client().indices().delete(d -> d.index(index.name()));

    assertThat(index.versions("leads")).isEmpty();
    assertThat(index.pointers()).isEmpty();
    assertThat(index.version("leads", 1)).isEmpty();
    assertThat(index.pointer("leads")).isEmpty();
  }
}
