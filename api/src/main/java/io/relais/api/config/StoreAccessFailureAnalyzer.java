package io.relais.api.config;

import io.relais.engine.store.StoreAccessException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A start stopped by the store refusing Relais says why in a few lines, not a bean trace. */
public final class StoreAccessFailureAnalyzer extends AbstractFailureAnalyzer<StoreAccessException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, StoreAccessException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Fix relais.store.* (docs/operations.md, \"The store connection\") and start again.", cause);
  }
}
