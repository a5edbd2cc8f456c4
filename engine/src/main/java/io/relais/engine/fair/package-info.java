/**
 * Bounded resources shared fairly between callers: {@link io.relais.engine.fair.FairShare}
 * (a pool of slots, each caller guaranteed its equal share and never more than a ceiling) and
 * {@link io.relais.engine.fair.Callers} (who the current thread works for: an API key, or
 * background work). The web layer uses the pool for request bodies being read; the store's
 * bulkheads are counted by {@code Callers} too (docs/operations.md, "Fair shares").
 */
package io.relais.engine.fair;
