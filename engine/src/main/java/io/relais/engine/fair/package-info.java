/**
 * Bounded resources shared fairly between callers: {@link io.relais.engine.fair.FairShare}
 * (a pool of slots, each caller guaranteed its equal share and never more than a ceiling) and
 * {@link io.relais.engine.fair.Callers} (who the current thread works for: an API key, or
 * background work). The web layer uses it for request bodies being read, the store for its
 * calls in flight (docs/operations.md, "Fair shares").
 */
package io.relais.engine.fair;
