/**
 * Batch runs: evaluate every (matching) stored contact with one event and apply the decisions,
 * in slices that any instance may claim, exactly once per contact even across crashes.
 */
package io.relais.engine.batch;
