package io.relais.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import io.relais.engine.testing.SettableClock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesFolderTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private final InMemoryRulesetStore store = new InMemoryRulesetStore();
  private final RulesetRegistry registry = new RulesetRegistry(store, CLOCK, RegistrySettings.defaults());

  private void write(String ruleset, String file, String text) throws IOException {
    Files.createDirectories(dir.resolve(ruleset));
    Files.writeString(dir.resolve(ruleset).resolve(file), text);
  }

  private static String scoring(int points) {
    return "scoring \"Visit\"\nwhen event is page_visit\nthen add " + points + " to score\nend\n";
  }

  @Test
  void loadsEveryFolderAtStartAndARestartAddsNoVersion() throws IOException {
    write("leads", "scoring.rules", scoring(1));
    write("leads", "notes.txt", "not a ruleset file");
    write("broken", "scoring.rules", "scoring \"Visit\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n");
    RulesFolder folder = new RulesFolder(dir, registry);

    folder.loadAll();

    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    assertThat(registry.active("leads").get().files()).containsOnlyKeys("scoring.rules");
    assertThat(registry.active("leads").get().createdBy()).isEqualTo(RulesFolder.AUTHOR);
    assertThat(registry.active("broken")).isEmpty();
    assertThat(folder.loaded().get("broken").valid()).isFalse();
    assertThat(folder.loaded().get("broken").diagnostics())
        .containsExactly("scoring.rules:2:6: error: unknown field contact.scroe — did you mean contact.score?");

    RulesetRegistry restarted = new RulesetRegistry(store, CLOCK, RegistrySettings.defaults());
    restarted.refresh();
    new RulesFolder(dir, restarted).loadAll();

    assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(1);
    assertThat(restarted.active("leads").get().version()).isEqualTo(1);
  }

  @Test
  void aChangeIsLoadedOnceItReadsTheSameOnTwoScans() throws IOException {
    write("leads", "scoring.rules", scoring(1));
    RulesFolder folder = new RulesFolder(dir, registry);
    folder.loadAll();

    write("leads", "scoring.rules", scoring(2));
    folder.scan();
    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    write("leads", "scoring.rules", scoring(3)); // still being edited
    folder.scan();
    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    folder.scan();

    assertThat(registry.active("leads").get().version()).isEqualTo(2);
    assertThat(registry.active("leads").get().files().get("scoring.rules")).contains("add 3 to score");
    folder.scan();
    folder.scan();
    assertThat(store.versions("leads")).hasSize(2);
  }

  @Test
  void aBrokenChangeKeepsTheActiveVersion() throws IOException {
    write("leads", "scoring.rules", scoring(1));
    RulesFolder folder = new RulesFolder(dir, registry);
    folder.loadAll();

    write("leads", "scoring.rules", "scoring \"Visit\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n");
    folder.scan();
    folder.scan();

    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    assertThat(store.versions("leads")).hasSize(1);
    assertThat(folder.loaded().get("leads").valid()).isFalse();
    assertThat(folder.loaded().get("leads").diagnostics().get(0)).startsWith("scoring.rules:2:6: error:");

    write("leads", "scoring.rules", scoring(5));
    folder.scan();
    folder.scan();
    assertThat(registry.active("leads").get().version()).isEqualTo(2);
    assertThat(folder.loaded().get("leads").valid()).isTrue();
  }

  @Test
  void aNewFolderIsPickedUpAndAFolderOverTheLimitIsReported() throws IOException {
    RulesetRegistry limited = new RulesetRegistry(store, CLOCK, new RegistrySettings(200, 100, 50, 8));
    RulesFolder folder = new RulesFolder(dir, limited);
    folder.loadAll();

    write("leads", "scoring.rules", scoring(1));
    write("huge", "scoring.rules", "# " + "x".repeat(300) + "\n");
    folder.scan();
    folder.scan();

    assertThat(limited.active("leads").get().version()).isEqualTo(1);
    assertThat(limited.active("huge")).isEmpty();
    assertThat(folder.loaded().get("huge").diagnostics().get(0)).contains("200 bytes");
  }
  @Test
  void aVersionStoredWhoseActivationFailedIsActivatedAtTheNextScan() throws IOException {
    AtomicBoolean pointerFails = new AtomicBoolean(true);
    RulesetStore flaky = new FailingPointerStore(store, pointerFails);
    RulesetRegistry registry = new RulesetRegistry(flaky, CLOCK, RegistrySettings.defaults());
    write("leads", "scoring.rules", scoring(1));
    RulesFolder folder = new RulesFolder(dir, registry);

    folder.loadAll(); // the version is stored, then the store fails before the pointer is written
    assertThat(store.versions("leads")).hasSize(1);
    assertThat(registry.active("leads")).isEmpty();

    pointerFails.set(false);
    folder.scan(); // not marked seen after the failure: read again, loaded once it reads the same
    folder.scan();

    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    assertThat(store.versions("leads")).hasSize(1);
  }

  @Test
  void aRollbackMadeAfterTheFolderVersionWasStoredSurvivesARestart() throws IOException {
    SettableClock clock = new SettableClock(CLOCK.instant());
    RulesetRegistry registry = new RulesetRegistry(store, clock, RegistrySettings.defaults());
    write("leads", "scoring.rules", scoring(1));
    RulesFolder folder = new RulesFolder(dir, registry);
    folder.loadAll();
    clock.advance(Duration.ofMinutes(1));
    write("leads", "scoring.rules", scoring(2));
    folder.scan();
    folder.scan();
    assertThat(registry.active("leads").get().version()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(1));
    registry.activate("leads", 1, "ops");

    clock.advance(Duration.ofMinutes(1));
    RulesetRegistry restarted = new RulesetRegistry(store, clock, RegistrySettings.defaults());
    restarted.refresh();
    new RulesFolder(dir, restarted).loadAll();

    assertThat(restarted.active("leads").get().version()).isEqualTo(1);
  }

  // The in-memory store whose pointer write times out while told to, as a store that answers
  // the version's write and then stops answering would.
  private record FailingPointerStore(InMemoryRulesetStore delegate, AtomicBoolean fails) implements RulesetStore {
    @Override
    public void ensureExists() {
      delegate.ensureExists();
    }

    @Override
    public boolean create(StoredVersion version) {
      return delegate.create(version);
    }

    @Override
    public Optional<StoredVersion> version(String name, int version) {
      return delegate.version(name, version);
    }

    @Override
    public java.util.List<VersionInfo> versions(String name) {
      return delegate.versions(name);
    }

    @Override
    public java.util.List<VersionInfo> allVersions() {
      return delegate.allVersions();
    }

    @Override
    public void delete(String name, int version) {
      delegate.delete(name, version);
    }

    @Override
    public Optional<ActivePointer> pointer(String name) {
      return delegate.pointer(name);
    }

    @Override
    public java.util.List<ActivePointer> pointers() {
      return delegate.pointers();
    }

    @Override
    public Optional<ActivePointer> setPointer(
        String name, int version, Instant at, String by, Optional<ActivePointer> expected) {
      if (fails.get()) {
        throw new IllegalStateException("store timed out");
      }
      return delegate.setPointer(name, version, at, by, expected);
    }
  }
}
