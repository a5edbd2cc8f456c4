package io.relais.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.diagnostic.Diagnostic;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RulesetRegistryTest {

  private final RulesetRegistry registry =
      new RulesetRegistry(Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC));

  private static Map<String, String> scoring(int points) {
    return Map.of("scoring.rules",
        "scoring \"Visit\"\nwhen event is page_visit\nthen add " + points + " to score\nend\n");
  }

  private static final Map<String, String> BROKEN =
      Map.of("scoring.rules", "scoring \"Visit\"\nwhen contact.scroe > 1\nthen add 1 to score\nend\n");

  @Test
  void validStoresAndActivatesANewVersion() {
    RulesetRegistry.PutResult first = registry.put("leads", scoring(1), true, "ana");
    RulesetRegistry.PutResult second = registry.put("leads", scoring(2), true, "ana");

    assertThat(first.version()).get().extracting(RulesetVersion::version).isEqualTo(1);
    assertThat(second.version()).get().extracting(RulesetVersion::version).isEqualTo(2);
    assertThat(second.active()).isTrue();
    assertThat(registry.active("leads")).get().extracting(RulesetVersion::version).isEqualTo(2);
    assertThat(registry.active("leads").get().createdBy()).isEqualTo("ana");
  }

  @Test
  void anInvalidUploadStoresNothingAndKeepsTheActiveVersion() {
    registry.put("leads", scoring(1), true, "ana");

    RulesetRegistry.PutResult result = registry.put("leads", BROKEN, true, "ana");

    assertThat(result.version()).isEmpty();
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
    assertThat(registry.activate("leads", 2)).get().extracting(RulesetVersion::version).isEqualTo(2);
    assertThat(registry.activate("leads", 1)).get().extracting(RulesetVersion::version).isEqualTo(1);
    assertThat(registry.activate("leads", 3)).isEmpty();
    assertThat(registry.activate("nobody", 1)).isEmpty();
    assertThat(registry.active("leads").get().version()).isEqualTo(1);
  }

  @Test
  void aRulesetHeaderMustMatchTheStoredName() {
    RulesetRegistry.PutResult result =
        registry.put("leads", Map.of("a.rules", "ruleset \"other\"\n"), true, "ana");

    assertThat(result.version()).isEmpty();
    assertThat(result.diagnostics()).extracting(Diagnostic::code).contains("ruleset-name-mismatch");
  }

  @Test
  void readersAlwaysSeeOneWholeVersionWhileWritersActivate() throws Exception {
    registry.put("leads", scoring(1), true, "ana");
    registry.put("leads", scoring(2), false, "ana");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> readers = new ArrayList<>();
      Future<?> writer = pool.submit(() -> {
        for (int i = 0; i < 2000; i++) {
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
}
