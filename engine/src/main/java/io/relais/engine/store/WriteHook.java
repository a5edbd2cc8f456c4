package io.relais.engine.store;

/**
 * Called between the writes of the event protocol, so tests can make the process "die" at
 * each point (by throwing) and prove that a retry or the recovery applies every event once.
 */
@FunctionalInterface
interface WriteHook {

  /**
   * The points between two writes of {@link EventRecorder#record}, of the recovery sweep, and of
   * {@link ContactMerges#merge}.
   */
  enum Point {
    /** The decision is made; nothing is written yet. */
    EVALUATED,
    /** Write A: the contact carries the applied event in its outbox; no event document yet. */
    CONTACT_WRITTEN,
    /** Write B: the event document is handed to the next bulk of documents (not waited for); the answer is not sent yet. */
    EVENT_WRITTEN,
    /** The recovery sweep read a page of contacts; it has written nothing of it yet. */
    SWEEP_READ,
    /** A merge froze the contact merged (it is an alias now); the other is not written yet. */
    MERGE_FROZEN,
    /** A merge wrote the merged contact; the alias is not marked done yet. */
    MERGE_APPLIED
  }

  WriteHook NONE = point -> {};

  void reached(Point point);
}
