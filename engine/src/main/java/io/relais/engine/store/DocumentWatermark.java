package io.relais.engine.store;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.TreeSet;

/**
 * Which of the events this process recorded (or adopted) have documents that every copy's
 * searches see, known without asking the store: what lets the outbox pruning let an entry go
 * (docs/store.md, "Pruning without a read" and "Adopted entries").
 *
 * <p>Each event recorded here, and each old entry adopted here, gets a ticket before its contact write: this watermark's recorder
 * id and the next sequence number, which its outbox entry carries ({@link PendingEvent.Origin}).
 * The ticket stays open until its fate is known: closed when a write that waits for a refresh
 * ({@code refresh=wait_for}) acknowledged its document, so searches see it; or released when the
 * contact write was refused (a 409: no entry carries it). An entry is vouched for when its
 * recorder id is this watermark's and its sequence is below every open ticket: every earlier
 * ticket is settled too, so nothing has to be remembered per event but the open ones.
 *
 * <p>A ticket whose fate cannot be known (the contact write failed without an answer, which may
 * have applied it; its document write failed or was refused) is abandoned: the watermark takes
 * a new recorder id, so no entry of the old one is ever vouched for again; those are adopted
 * by the next write that finds them old, as the entries of other instances and of earlier runs
 * are. A process that
 * dies takes its recorder id with it the same way. Thread-safe.
 */
final class DocumentWatermark {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final TreeSet<Long> open = new TreeSet<>();
  private String recorder = newRecorder();
  private long next = 1;

  /** A new ticket, open until {@link #close}, {@link #release} or {@link #abandon}. */
  synchronized PendingEvent.Origin open() {
    long sequence = next++;
    open.add(sequence);
    return new PendingEvent.Origin(recorder, sequence);
  }

  /** The ticket's document is searchable: searches see it. */
  synchronized void close(PendingEvent.Origin ticket) {
    settle(ticket);
  }

  /** The ticket's event was not recorded (its contact write was refused): no entry carries it. */
  synchronized void release(PendingEvent.Origin ticket) {
    settle(ticket);
  }

  /**
   * The ticket's fate cannot be known: from now on, nothing recorded under its recorder id is
   * vouched for.
   */
  synchronized void abandon(PendingEvent.Origin ticket) {
    if (ticket.recorder().equals(recorder)) {
      recorder = newRecorder();
      open.clear();
    }
  }

  /** Whether an entry of {@code origin} has a document that searches see, as far as this process knows. */
  synchronized boolean vouchesFor(PendingEvent.Origin origin) {
    if (origin == null || !origin.recorder().equals(recorder)) {
      return false;
    }
    long below = open.isEmpty() ? next : open.first();
    return origin.sequence() < below;
  }

  /**
   * Whether {@code origin} is a ticket of this watermark's recorder id: its entry is vouched for
   * once its ticket and every earlier one are settled, so it is neither adopted nor read.
   */
  synchronized boolean issued(PendingEvent.Origin origin) {
    return origin != null && origin.recorder().equals(recorder);
  }

  // Sequences are never reused, so a ticket of an abandoned recorder is simply not found.
  private void settle(PendingEvent.Origin ticket) {
    open.remove(ticket.sequence());
  }

  // 128 random bits: two processes never share one, or one would vouch for the other's entries.
  private static String newRecorder() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
