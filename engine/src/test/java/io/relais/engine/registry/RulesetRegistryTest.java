package io.relais.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.dsl.diagnostic.Diagnostic;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RulesetRegistryTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

  private final InMemoryRulesetStore store = new InMemoryRulesetStore();
  private final List<RulesetRegistry> opened = new ArrayList<>();
  private final RulesetRegistry registry = registry(RegistrySettings.defaults());

  private RulesetRegistry registry(RegistrySettings settings) {
    RulesetRegistry created = new RulesetRegistry(store, CLOCK, settings);
    opened.add(created);
    return created;
  }

  @AfterEach
  void close() {
    opened.forEach(RulesetRegistry::close);
  }

  static Map<String, String> scoring(int points) {
    return Map.of("scoring.rules",
        "scoring \"Visit\"\nwhen event is page_visit\nthen add " + points + " to score\nend\n");
  }

  static final Map<String, String> BROKEN =
      Map.of("scoring.rules", "scoring \"Visit\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n");

  @Test
  void validStoresAndActivatesANewVersion() {
    RulesetRegistry.PutResult first = registry.put("leads", scoring(1), true, "ana");
    RulesetRegistry.PutResult second = registry.put("leads", scoring(2), true, "ana");

    assertThat(first.version()).get().extracting(StoredVersion::version).isEqualTo(1);
    assertThat(second.version()).get().extracting(StoredVersion::version).isEqualTo(2);
    assertThat(second.active()).isTrue();
    assertThat(registry.active("leads")).get().extracting(RulesetVersion::version).isEqualTo(2);
    assertThat(registry.active("leads").get().createdBy()).isEqualTo("ana");
    assertThat(registry.active("leads").get().compiled().version()).isEqualTo(2);
    assertThat(registry.get("leads").get().versions()).extracting(VersionInfo::version).containsExactly(1, 2);
    assertThat(registry.get("leads").get().active().get().activatedBy()).isEqualTo("ana");
  }

  @Test
  void anInvalidUploadStoresNothingAndKeepsTheActiveVersion() {
    registry.put("leads", scoring(1), true, "ana");

    RulesetRegistry.PutResult result = registry.put("leads", BROKEN, true, "ana");

    assertThat(result.version()).isEmpty();
    assertThat(result.created()).isFalse();
    assertThat(result.diagnostics()).extracting(Diagnostic::render)
        .containsExactly("scoring.rules:2:6: error: unknown field contact.scroe — did you mean contact.score?");
    assertThat(registry.get("leads").get().versions()).hasSize(1);
    assertThat(registry.active("leads")).get().extracting(RulesetVersion::version).isEqualTo(1);
  }

  @Test
  void storingWithoutActivatingThenRollingBack() {
    registry.put("leads", scoring(1), true, "ana");
    registry.put("leads", scoring(2), false, "ana");

    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    assertThat(registry.activate("leads", 2, "bob")).get().extracting(RulesetVersion::version).isEqualTo(2);
    assertThat(registry.activate("leads", 1, "bob")).get().extracting(RulesetVersion::version).isEqualTo(1);
    assertThat(registry.activate("leads", 3)).isEmpty();
    assertThat(registry.activate("nobody", 1)).isEmpty();
    assertThat(registry.active("leads").get().version()).isEqualTo(1);
    assertThat(registry.active("leads").get().files()).isEqualTo(scoring(1));
    assertThat(store.pointer("leads").get().activatedBy()).isEqualTo("bob");
  }

  @Test
  void aRulesetHeaderMustMatchTheStoredName() {
    RulesetRegistry.PutResult result =
        registry.put("leads", Map.of("a.rules", "ruleset \"other\"\n"), true, "ana");

    assertThat(result.version()).isEmpty();
    assertThat(result.diagnostics()).extracting(Diagnostic::code).contains("ruleset-name-mismatch");
  }

  @Test
  void decisionTableFilesAreCheckedWithTheRules() {
    Map<String, String> files = new LinkedHashMap<>(scoring(1));
    files.put("fit.dmn", "<definitions/>");

    RulesetRegistry.PutResult result = registry.put("leads", files, true, "ana");

    assertThat(result.version()).isEmpty();
    assertThat(result.diagnostics()).extracting(d -> d.span().file()).contains("fit.dmn");
    assertThat(registry.active("leads")).isEmpty();
  }

  @Test
  void aRestartedRegistryServesTheStoredActiveVersions() {
    registry.put("leads", scoring(1), true, "ana");
    registry.put("leads", scoring(2), true, "ana");
    registry.activate("leads", 1, "ana");

    RulesetRegistry restarted = registry(RegistrySettings.defaults());
    assertThat(restarted.active("leads")).isEmpty();
    restarted.refresh();

    assertThat(restarted.active("leads").get().version()).isEqualTo(1);
    assertThat(restarted.active("leads").get().warnings()).isEmpty();
    assertThat(restarted.list()).extracting(RulesetRegistry.Entry::name).containsExactly("leads");
  }

  @Test
  void anotherInstanceFollowsActivationsAtItsNextRefresh() {
    RulesetRegistry other = registry(RegistrySettings.defaults());
    registry.put("leads", scoring(1), true, "ana");
    registry.put("leads", scoring(2), false, "ana");
    other.refresh();
    assertThat(other.active("leads").get().version()).isEqualTo(1);

    registry.activate("leads", 2, "ana");
    assertThat(other.active("leads").get().version()).isEqualTo(1);
    other.refresh();

    assertThat(other.active("leads").get().version()).isEqualTo(2);
    other.activate("leads", 1, "bob");
    registry.refresh();
    assertThat(registry.active("leads").get().version()).isEqualTo(1);
  }

  @Test
  void aPointerRevisionOlderThanTheServedOneNeverReplacesIt() {
    List<ActivePointer> stale = new ArrayList<>();
    RulesetRegistry polling = new RulesetRegistry(new DelegatingStore(store) {
      @Override
      public List<ActivePointer> pointers() {
        return stale.isEmpty() ? super.pointers() : stale;
      }
    }, CLOCK, RegistrySettings.defaults());
    polling.put("leads", scoring(1), true, "ana");
    ActivePointer first = store.pointer("leads").get();
    polling.put("leads", scoring(2), true, "ana");
    assertThat(store.pointer("leads").get().isNewerThan(first)).isTrue();

    // A poll that read the pointers before the second activation, finishing after it.
    stale.add(first);
    polling.refresh();

    assertThat(polling.active("leads").get().version()).isEqualTo(2);
  }

  @Test
  void anActivationRetriesWhenAnotherWriterMovedThePointerMeanwhile() {
    registry.put("leads", scoring(1), true, "ana");
    registry.put("leads", scoring(2), false, "ana");
    registry.put("leads", scoring(3), false, "ana");
    RulesetRegistry other = registry(RegistrySettings.defaults());
    boolean[] interfered = {false};
    RulesetRegistry racing = new RulesetRegistry(new DelegatingStore(store) {
      @Override
      public java.util.Optional<ActivePointer> pointer(String name) {
        java.util.Optional<ActivePointer> read = super.pointer(name);
        if (!interfered[0]) {
          interfered[0] = true;
          other.activate("leads", 3, "bob"); // lands between this read and the write
        }
        return read;
      }
    }, CLOCK, RegistrySettings.defaults());

    assertThat(racing.activate("leads", 2, "ana")).get().extracting(RulesetVersion::version).isEqualTo(2);

    assertThat(interfered[0]).isTrue();
    assertThat(store.pointer("leads").get().version()).isEqualTo(2);
    assertThat(racing.active("leads").get().version()).isEqualTo(2);
  }

  /**
   * A create the store applied and then answered as taken (sent again by the store to a new
   * primary after the first send was applied) is this version: no second identical version is
   * stored under the next number, and it is activated.
   */
  @Test
  void aVersionStoredButAnsweredAsTakenIsThisVersionNotANewOne() {
    registry.put("leads", scoring(1), true, "ana");
    RulesetRegistry resent = new RulesetRegistry(new DelegatingStore(store) {
      @Override
      public boolean create(StoredVersion version) {
        super.create(version);
        return false;
      }
    }, CLOCK, RegistrySettings.defaults());
    opened.add(resent);

    RulesetRegistry.PutResult put = resent.put("leads", scoring(2), true, "ana");

    assertThat(put.version()).get().extracting(StoredVersion::version).isEqualTo(2);
    assertThat(put.active()).isTrue();
    assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(1, 2);
    assertThat(store.pointer("leads").get().version()).isEqualTo(2);
  }

  /**
   * A registry on the same store whose first version create is preceded by another write: the
   * same number taken first by {@code author} with {@code files}, at the test's clock.
   */
  private RulesetRegistry afterAnotherWrite(Map<String, String> files, String author, Clock clock) {
    boolean[] raced = {false};
    RulesetRegistry racing = new RulesetRegistry(new DelegatingStore(store) {
      @Override
      public boolean create(StoredVersion version) {
        if (!raced[0]) {
          raced[0] = true;
          registry.put(version.name(), files, false, author); // takes the number first
        }
        return super.create(version);
      }
    }, clock, RegistrySettings.defaults());
    opened.add(racing);
    return racing;
  }

  /**
   * The same files stored under the number by another author, or by the same author at another
   * instant, are another write: this one takes the next number.
   */
  @Test
  void theSameFilesStoredByAnotherAuthorOrAtAnotherInstantAreAnotherWrite() {
    registry.put("leads", scoring(1), true, "ana");

    RulesetRegistry.PutResult afterBob =
        afterAnotherWrite(scoring(2), "bob", CLOCK).put("leads", scoring(2), true, "ana");
    RulesetRegistry.PutResult afterAnaEarlier =
        afterAnotherWrite(scoring(3), "ana", Clock.offset(CLOCK, Duration.ofSeconds(1)))
            .put("leads", scoring(3), true, "ana");

    assertThat(afterBob.version()).get().extracting(StoredVersion::version).isEqualTo(3);
    assertThat(store.version("leads", 2).get().createdBy()).isEqualTo("bob");
    assertThat(afterAnaEarlier.version()).get().extracting(StoredVersion::version).isEqualTo(5);
    assertThat(store.version("leads", 4).get().createdAt()).isEqualTo(CLOCK.instant());
    assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(1, 2, 3, 4, 5);
  }

  /** A number another writer took with other files is not this version: the next is tried. */
  @Test
  void aNumberTakenByAnotherWriterMovesToTheNext() {
    registry.put("leads", scoring(1), true, "ana");

    RulesetRegistry.PutResult put =
        afterAnotherWrite(scoring(3), "bob", CLOCK).put("leads", scoring(2), true, "ana");

    assertThat(put.version()).get().extracting(StoredVersion::version).isEqualTo(3);
    assertThat(store.version("leads", 2).get().createdBy()).isEqualTo("bob");
    assertThat(store.version("leads", 3).get().files()).isEqualTo(scoring(2));
  }

  @Test
  void compiledVersionsInMemoryAreBoundedByTheActiveOnesAndTheCache() {
    RulesetRegistry small = registry(new RegistrySettings(512 * 1024, 100, 50, 2));
    small.put("leads", scoring(1), true, "ana");
    for (int points = 2; points <= 8; points++) {
      small.put("leads", scoring(points), false, "ana");
    }
    small.put("other", scoring(1), true, "ana");

    // Two active versions plus at most two recent ones, not the nine compiled.
    assertThat(small.compiledInMemory()).isLessThanOrEqualTo(4);

    // Versions out of the cache are compiled again from the store on demand.
    assertThat(small.activate("leads", 3)).get().extracting(v -> v.compiled().version()).isEqualTo(3);
    assertThat(small.activate("leads", 1)).get().extracting(v -> v.compiled().version()).isEqualTo(1);
    assertThat(small.compiledInMemory()).isLessThanOrEqualTo(4);
  }

  @Test
  void theOldestInactiveVersionsAreDeletedAtTheCap() {
    RulesetRegistry capped = registry(new RegistrySettings(512 * 1024, 100, 3, 8));
    capped.put("leads", scoring(1), true, "ana");
    capped.put("leads", scoring(2), false, "ana");
    capped.put("leads", scoring(3), false, "ana");
    capped.put("leads", scoring(4), false, "ana");
    capped.put("leads", scoring(5), false, "ana");

    // Version 1 is active so it stays; 2 and 3 were the oldest inactive ones.
    assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(1, 4, 5);
    assertThat(capped.active("leads").get().version()).isEqualTo(1);
    assertThat(capped.activate("leads", 2)).isEmpty();

    // Numbers are never reused after a deletion.
    capped.activate("leads", 5);
    capped.put("leads", scoring(6), false, "ana");
    assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(4, 5, 6);
  }

  @Test
  void aRulesetOverTheSizeOrFileLimitIsRefusedBeforeParsing() {
    RulesetRegistry limited = registry(new RegistrySettings(100, 2, 50, 8));
    // Not valid rule text either: the limit answers before the parser could complain.
    Map<String, String> big = Map.of("a.rules", "@".repeat(101));
    Map<String, String> many = Map.of("a.rules", "", "b.rules", "", "c.rules", "");

    assertThatThrownBy(() -> limited.put("leads", big, true, "ana"))
        .isInstanceOf(RulesetTooLargeException.class).hasMessageContaining("100 bytes");
    assertThatThrownBy(() -> limited.validate("leads", many))
        .isInstanceOf(RulesetTooLargeException.class).hasMessageContaining("2 files");
    // Bytes, not characters: 60 two-byte letters are 120 bytes.
    assertThatThrownBy(() -> limited.validate("leads", Map.of("a.rules", "é".repeat(60))))
        .isInstanceOf(RulesetTooLargeException.class);
    assertThat(limited.validate("leads", Map.of("a.rules", "# " + "x".repeat(90) + "\n")).ruleset()).isPresent();
    assertThat(store.allVersions()).isEmpty();
  }

  @Test
  void putIfChangedAddsNoVersionForTheSameFiles() {
    RulesetRegistry.PutResult first = registry.putIfChanged("leads", scoring(1), "rules-dir");
    RulesetRegistry.PutResult again = registry.putIfChanged("leads", scoring(1), "rules-dir");
    RulesetRegistry.PutResult changed = registry.putIfChanged("leads", scoring(2), "rules-dir");

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.version().get().version()).isEqualTo(1);
    assertThat(again.active()).isTrue();
    assertThat(changed.created()).isTrue();
    assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(1, 2);
  }

  /**
   * The test store, where the first two readers of a ruleset's versions wait for each other:
   * both see the same versions before either writes.
   */
  private RulesetStore bothReadBeforeEitherWrites() {
    CountDownLatch bothRead = new CountDownLatch(2);
    return new DelegatingStore(store) {
      @Override
      public List<VersionInfo> versions(String name) {
        List<VersionInfo> versions = super.versions(name);
        bothRead.countDown();
        try {
          bothRead.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return versions;
      }
    };
  }

  @Test
  void twoWritersRacingForOneNumberBothGetAVersion() throws Exception {
    // Both read "no version yet" before either creates: the store's create-if-absent decides.
    RulesetStore racing = bothReadBeforeEitherWrites();
    RulesetRegistry a = new RulesetRegistry(racing, CLOCK, RegistrySettings.defaults());
    RulesetRegistry b = new RulesetRegistry(racing, CLOCK, RegistrySettings.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RulesetRegistry.PutResult> first = pool.submit(() -> a.put("leads", scoring(1), false, "ana"));
      Future<RulesetRegistry.PutResult> second = pool.submit(() -> b.put("leads", scoring(2), false, "bob"));

      assertThat(List.of(first.get(30, TimeUnit.SECONDS).version().get().version(),
          second.get(30, TimeUnit.SECONDS).version().get().version())).containsExactlyInAnyOrder(1, 2);
      assertThat(store.versions("leads")).hasSize(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void twoInstancesLoadingTheSameFilesStoreThemOnce() throws Exception {
    RulesetStore racing = bothReadBeforeEitherWrites();
    RulesetRegistry a = new RulesetRegistry(racing, CLOCK, RegistrySettings.defaults());
    RulesetRegistry b = new RulesetRegistry(racing, CLOCK, RegistrySettings.defaults());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<RulesetRegistry.PutResult> first = pool.submit(() -> a.putIfChanged("leads", scoring(1), "rules-dir"));
      Future<RulesetRegistry.PutResult> second = pool.submit(() -> b.putIfChanged("leads", scoring(1), "rules-dir"));
      first.get(30, TimeUnit.SECONDS);
      second.get(30, TimeUnit.SECONDS);

      assertThat(store.versions("leads")).extracting(VersionInfo::version).containsExactly(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void readersAlwaysSeeOneWholeVersionWhileWritersActivate() throws Exception {
    registry.put("leads", scoring(1), true, "ana");
    registry.put("leads", scoring(2), false, "ana");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> readers = new ArrayList<>();
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 500; i++) {
          registry.activate("leads", 1 + i % 2);
        }
      });
      for (int r = 0; r < 3; r++) {
        readers.add(pool.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            RulesetVersion active = registry.active("leads").orElseThrow();
            String text = active.files().get("scoring.rules");
            if (!text.contains("add " + active.version() + " to score")
                || active.compiled().version() != active.version()) {
              return false;
            }
          }
          return true;
        }));
      }
      writer.get(30, TimeUnit.SECONDS);
      for (Future<Boolean> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A store that forwards to another, for tests that interpose on one call. */
  static class DelegatingStore implements RulesetStore {
    private final RulesetStore delegate;

    DelegatingStore(RulesetStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public void ensureExists() {
      delegate.ensureExists();
    }

    @Override
    public boolean create(StoredVersion version) {
      return delegate.create(version);
    }

    @Override
    public java.util.Optional<StoredVersion> version(String name, int version) {
      return delegate.version(name, version);
    }

    @Override
    public List<VersionInfo> versions(String name) {
      return delegate.versions(name);
    }

    @Override
    public List<VersionInfo> allVersions() {
      return delegate.allVersions();
    }

    @Override
    public void delete(String name, int version) {
      delegate.delete(name, version);
    }

    @Override
    public java.util.Optional<ActivePointer> pointer(String name) {
      return delegate.pointer(name);
    }

    @Override
    public List<ActivePointer> pointers() {
      return delegate.pointers();
    }

    @Override
    public java.util.Optional<ActivePointer> setPointer(String name, int version, Instant at, String by,
        java.util.Optional<ActivePointer> expected) {
      return delegate.setPointer(name, version, at, by, expected);
    }
  }
}
