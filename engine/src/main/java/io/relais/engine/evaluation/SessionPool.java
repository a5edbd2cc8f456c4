package io.relais.engine.evaluation;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;

/**
 * Sessions of one {@code KieBase}, reused across evaluations instead of built per decision.
 * An evaluation deletes every fact it inserted, so a session it gives back is empty; one whose
 * evaluation failed part-way is disposed instead. At most {@code capacity} idle sessions are
 * kept; more concurrent evaluations open more sessions, disposed when they are given back.
 */
final class SessionPool {

  private final KieBase kieBase;
  private final int capacity;
  private final ConcurrentLinkedDeque<KieSession> idle = new ConcurrentLinkedDeque<>();
  private final AtomicInteger idleCount = new AtomicInteger();

  SessionPool(KieBase kieBase, int capacity) {
    this.kieBase = kieBase;
    this.capacity = capacity;
  }

  KieSession take() {
    KieSession session = idle.pollFirst();
    if (session == null) {
      return kieBase.newKieSession();
    }
    idleCount.decrementAndGet();
    return session;
  }

  /** Gives back a session whose evaluation completed; {@code clean} is false after a failure. */
  void giveBack(KieSession session, boolean clean) {
    if (clean && session.getFactCount() == 0 && idleCount.incrementAndGet() <= capacity) {
      idle.offerFirst(session);
      return;
    }
    if (clean && session.getFactCount() == 0) {
      idleCount.decrementAndGet();
    }
    session.dispose();
  }

  /** Idle sessions, for tests. */
  int idle() {
    return idleCount.get();
  }
}
