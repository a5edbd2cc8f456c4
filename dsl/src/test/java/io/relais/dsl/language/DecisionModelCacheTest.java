package io.relais.dsl.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DecisionModelCacheTest {

  /** Counts the files it is asked to read. */
  private final List<String> reads = new ArrayList<>();
  private final DecisionModels counting = file -> {
    reads.add(file.name());
    return new DecisionModels.Model(file.name(), Optional.empty(), List.of(), List.of(), List.of());
  };

  @Test
  void aFileIsReadOnceWhileItsTextDoesNotChange() {
    DecisionModelCache cache = new DecisionModelCache(counting);

    cache.read(new Source("a.dmn", "<definitions/>"));
    cache.read(new Source("a.dmn", "<definitions/>"));
    cache.read(new Source("a.dmn", "<definitions name=\"x\"/>"));

    assertThat(reads).containsExactly("a.dmn", "a.dmn");
  }

  @Test
  void theCacheKeepsTheLastFilesOnly() {
    DecisionModelCache cache = new DecisionModelCache(counting);
    for (int i = 0; i <= DecisionModelCache.SIZE; i++) {
      cache.read(new Source("f" + i + ".dmn", "<definitions/>"));
    }

    cache.read(new Source("f" + DecisionModelCache.SIZE + ".dmn", "<definitions/>"));
    cache.read(new Source("f0.dmn", "<definitions/>"));

    assertThat(reads).hasSize(DecisionModelCache.SIZE + 2).endsWith("f0.dmn");
  }
}
