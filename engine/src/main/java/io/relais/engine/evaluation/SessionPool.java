package io.relais.engine.evaluation;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * Sessions of one {@code KieBase}, reused across evaluations instead of built per decision.
 * A session keeps one snapshot fact per group of phases between evaluations ({@link Lease}):
 * the next evaluation updates it with its own snapshot instead of inserting a new one and
 * deleting it (docs/engine.md "One evaluation"). Every other fact an evaluation inserts it
 * deletes, so a session given back holds its kept snapshots and nothing else; one holding
 * more, or whose evaluation failed part-way, is disposed instead. At most {@code capacity}
 * idle sessions are kept; more concurrent evaluations open more sessions, disposed when they
 * are given back.
 */
final class SessionPool {

  /**
   * A session taken from the pool, with the handles of the snapshot facts it keeps: one per
   * group, indexed by the group's number (its first phase), null until the group's first cycle
   * in this session. Used by one evaluation, on one thread, at a time.
   */
  static final class Lease {
    final KieSession session;
    private final FactHandle[] snapshots;
    private int kept;

    Lease(KieSession session, int groups) {
      this.session = session;
      this.snapshots = new FactHandle[groups];
    }

    /**
     * Puts {@code snapshot} in the session as group {@code group}'s snapshot fact: an update of
     * the fact the session keeps for that group, or an insert the first time.
     */
    void put(int group, Object snapshot) {
      FactHandle handle = snapshots[group];
      if (handle == null) {
        snapshots[group] = session.insert(snapshot);
        kept++;
      } else {
        session.update(handle, snapshot);
      }
    }

    /** How many snapshot facts the session keeps. */
    int kept() {
      return kept;
    }
  }

  private final KieBase kieBase;
  private final int capacity;
  private final int groups;
  private final ConcurrentLinkedDeque<Lease> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();

  /** {@code groups}: one more than the largest group number a snapshot can carry. */
  SessionPool(KieBase kieBase, int capacity, int groups) {
    this.kieBase = kieBase;
    this.capacity = capacity;
    this.groups = groups;
  }

  Lease take() {
    Lease lease = idle.pollFirst();
    if (lease == null) {
      return new Lease(kieBase.newKieSession(), groups);
    }
    idleCount.decrementAndGet();
    return lease;
  }

  /** Gives back a session whose evaluation completed; {@code clean} is false after a failure. */
  void giveBack(Lease lease, boolean clean) {
    boolean reusable = clean && lease.session.getFactCount() == lease.kept;
    if (reusable && idleCount.incrementAndGet() <= capacity) {
      idle.offerFirst(lease);
      return;
    }
    if (reusable) {
      idleCount.decrementAndGet();
    }
    lease.session.dispose();
  }

  /** Idle sessions, for tests. */
  int idle() {
    return idleCount.get();
  }
}
