package io.relais.dsl.language;

import io.relais.dsl.check.DecisionModels;
import io.relais.dsl.source.Source;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the models of the last DMN files read: every keystroke checks the ruleset again,
 * and reading a DMN file (the engine compiles it) costs far more than checking rules.
 */
final class DecisionModelCache implements DecisionModels {

  /** Enough for every table of a few rulesets open at once. */
  static final int SIZE = 32;

  private final DecisionModels models;
  private final Map<Source, Model> read = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Source, Model> eldest) {
      return size() > SIZE;
    }
  };

  DecisionModelCache(DecisionModels models) {
    this.models = models;
  }

  @Override
  public Model read(Source file) {
    synchronized (read) {
      Model model = read.get(file);
      if (model != null) {
        return model;
      }
    }
    // Read outside the lock: two callers may read the same file once each, never block.
    Model model = models.read(file);
    synchronized (read) {
      read.put(file, model);
    }
    return model;
  }
}
