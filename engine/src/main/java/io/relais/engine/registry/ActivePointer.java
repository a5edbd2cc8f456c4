package io.relais.engine.registry;

import java.time.Instant;

/**
 * Which version of a ruleset is active: one document per ruleset, so an activation or a
 * rollback is one write that every instance sees whole.
 *
 * @param seqNo with {@code primaryTerm}, the store's revision of the pointer: writes are
 *     conditional on it (optimistic concurrency), and a later revision always compares
 *     greater, so an instance never swaps back to an older activation
 */
public record ActivePointer(
    String name, int version, Instant activatedAt, String activatedBy, long seqNo, long primaryTerm) {

  /** True if this revision of the pointer was written after {@code other}. */
  public boolean isNewerThan(ActivePointer other) {
    return primaryTerm != other.primaryTerm ? primaryTerm > other.primaryTerm : seqNo > other.seqNo;
  }
}
