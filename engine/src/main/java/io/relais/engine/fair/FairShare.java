package io.relais.engine.fair;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;

/**
 * A pool of slots shared fairly between named callers ({@link Callers}): each active caller is
 * guaranteed its equal share, none ever holds more than a ceiling, and what nobody below its
 * share wants is lent to whoever asks.
 *
 * <p>A caller may take a free slot when both hold:
 *
 * <ol>
 *   <li>it holds fewer than {@code ceiling} slots, so one caller alone always leaves {@code total
 *       - ceiling} free for the next one;
 *   <li>it holds fewer than its equal share, {@code ceil(total / active)}, where the active
 *       callers are those holding a slot, waiting for one, or {@linkplain #REMEMBERED recently
 *       refused} for want of a free one (the asking caller included); or no other active caller
 *       below that share is waiting or recently refused, in which case the slot is lent.
 * </ol>
 *
 * So while a caller below its share waits, callers at or above theirs get nothing more, and the
 * slots they release go to it; when nobody is short, a single busy caller may use the pool up to
 * the ceiling. Slots are never taken back: a caller above its share keeps what it holds until it
 * releases it. This is max-min fairness for callers whose demand is not known in advance, as an
 * HTTP client's is not; a per-caller semaphore cannot express it (its limit would not follow the
 * number of callers), hence this class.
 *
 * <p>A caller that may not take a slot waits up to the time it is given ({@link #acquire}), or is
 * refused at once ({@link #tryAcquire}). A caller refused while below its share is remembered as
 * waiting for {@link #REMEMBERED}: its client was told to come back, and the slots released
 * meanwhile are kept for it rather than taken again by callers that hold their share.
 */
public final class FairShare {

  /**
   * How long a caller refused for want of a free slot counts as waiting: twice the {@code
   * Retry-After: 1} its client is given, so the retry finds its claim still standing.
   */
  public static final Duration REMEMBERED = Duration.ofSeconds(2);

  /** Why a slot was refused. */
  public enum Refusal {
    /** The caller holds its ceiling, or its share while another caller is short of its own. */
    SHARE,
    /** Every slot is taken. */
    FULL
  }

  private static final class Demand {
    int held;
    int waiting;
  }

  private final int total;
  private final int ceiling;
  private final LongSupplier nanoTime;
  private final long rememberedNanos = REMEMBERED.toNanos();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition released = lock.newCondition();
  // Only callers holding or waiting: an idle one is forgotten, so the maps stay as small as the
  // number of callers at work (API keys are configured; background callers are a few names).
  private final Map<String, Demand> demands = new HashMap<>();
  private final Map<String, Long> refusedUntil = new HashMap<>();
  private int inUse;

  /**
   * @param total slots in the pool
   * @param ceiling most slots one caller may hold, 1 to {@code total}
   */
  public FairShare(int total, int ceiling) {
    this(total, ceiling, System::nanoTime);
  }

  FairShare(int total, int ceiling, LongSupplier nanoTime) {
    if (total < 1) {
      throw new IllegalArgumentException("a pool needs at least one slot");
    }
    if (ceiling < 1 || ceiling > total) {
      throw new IllegalArgumentException("the slots per caller must be between 1 and " + total);
    }
    this.total = total;
    this.ceiling = ceiling;
    this.nanoTime = nanoTime;
  }

  /** A slot for {@code caller} if it may take one now; a refusal otherwise, without waiting. */
  public Slot tryAcquire(String caller) {
    lock.lock();
    try {
      Demand demand = demands.computeIfAbsent(caller, c -> new Demand());
      long now = nanoTime.getAsLong();
      return mayTake(caller, demand, now) ? grant(caller, demand, now) : refuse(caller, demand, now);
    } finally {
      forgetIfIdle(caller);
      lock.unlock();
    }
  }

  /**
   * A slot for {@code caller}, waiting up to {@code maxWait} for one it may take (counted as
   * waiting meanwhile); a refusal when none came.
   */
  public Slot acquire(String caller, Duration maxWait) throws InterruptedException {
    long left = maxWait.toNanos();
    lock.lockInterruptibly();
    try {
      Demand demand = demands.computeIfAbsent(caller, c -> new Demand());
      long now = nanoTime.getAsLong();
      if (mayTake(caller, demand, now)) {
        return grant(caller, demand, now);
      }
      demand.waiting++;
      try {
        while (left > 0) {
          left = released.awaitNanos(left);
          now = nanoTime.getAsLong();
          if (mayTake(caller, demand, now)) {
            return grant(caller, demand, now);
          }
        }
        return refuse(caller, demand, now);
      } finally {
        demand.waiting--;
      }
    } finally {
      forgetIfIdle(caller);
      lock.unlock();
    }
  }

  /** Slots held now, by all callers. */
  int inUse() {
    lock.lock();
    try {
      return inUse;
    } finally {
      lock.unlock();
    }
  }

  /** Slots {@code caller} holds now. */
  int held(String caller) {
    return count(caller, demand -> demand.held);
  }

  /** Threads of {@code caller} waiting for a slot now. */
  int waiting(String caller) {
    return count(caller, demand -> demand.waiting);
  }

  private int count(String caller, ToIntFunction<Demand> what) {
    lock.lock();
    try {
      Demand demand = demands.get(caller);
      return demand == null ? 0 : what.applyAsInt(demand);
    } finally {
      lock.unlock();
    }
  }

  /** Callers holding or waiting now (an idle caller leaves nothing behind). */
  int callersAtWork() {
    lock.lock();
    try {
      return demands.size();
    } finally {
      lock.unlock();
    }
  }

  private boolean mayTake(String caller, Demand demand, long now) {
    if (inUse >= total || demand.held >= ceiling) {
      return false;
    }
    int share = share(now);
    return demand.held < share || !anotherShort(caller, share, now);
  }

  /** The equal share: the pool divided by the active callers, rounded up. */
  private int share(long now) {
    int active = demands.size(); // the asking caller is in it
    for (Iterator<Map.Entry<String, Long>> claims = refusedUntil.entrySet().iterator(); claims.hasNext(); ) {
      Map.Entry<String, Long> claim = claims.next();
      if (claim.getValue() - now <= 0) {
        claims.remove();
      } else if (!demands.containsKey(claim.getKey())) {
        active++;
      }
    }
    return (total + active - 1) / active;
  }

  // Whether a caller other than this one is below the share and wants a slot: it waits now, or
  // was refused a moment ago (share(now) has dropped the expired claims).
  private boolean anotherShort(String caller, int share, long now) {
    for (Map.Entry<String, Demand> other : demands.entrySet()) {
      Demand demand = other.getValue();
      if (!other.getKey().equals(caller) && demand.held < share
          && (demand.waiting > 0 || refusedUntil.containsKey(other.getKey()))) {
        return true;
      }
    }
    for (String claimant : refusedUntil.keySet()) {
      if (!claimant.equals(caller) && !demands.containsKey(claimant)) {
        return true; // holds nothing, so it is below any share
      }
    }
    return false;
  }

  private Slot grant(String caller, Demand demand, long now) {
    int share = share(now);
    demand.held++;
    inUse++;
    refusedUntil.remove(caller); // served: its claim is met
    return new Slot(caller, null, share, demand.held);
  }

  private Slot refuse(String caller, Demand demand, long now) {
    int share = share(now);
    boolean atShare = demand.held >= ceiling && ceiling < total
        || demand.held >= share && inUse < total && anotherShort(caller, share, now);
    if (!atShare && demand.held < share) {
      refusedUntil.put(caller, now + rememberedNanos);
    }
    return new Slot(caller, atShare ? Refusal.SHARE : Refusal.FULL, share, demand.held);
  }

  private void forgetIfIdle(String caller) {
    Demand demand = demands.get(caller);
    if (demand != null && demand.held == 0 && demand.waiting == 0) {
      demands.remove(caller);
    }
  }

  private void release(String caller) {
    lock.lock();
    try {
      demands.get(caller).held--;
      inUse--;
      forgetIfIdle(caller);
      released.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A slot taken, or a refusal. Closing a taken slot returns it, once (use try-with-resources);
   * closing a refusal does nothing.
   */
  public final class Slot implements AutoCloseable {

    private final String caller;
    private final Refusal refusal;
    private final int share;
    private final int held;
    private boolean closed;

    private Slot(String caller, Refusal refusal, int share, int held) {
      this.caller = caller;
      this.refusal = refusal;
      this.share = share;
      this.held = held;
    }

    /** Whether the slot was taken. */
    public boolean granted() {
      return refusal == null;
    }

    /** Why it was refused; {@code null} when taken. */
    public Refusal refusal() {
      return refusal;
    }

    /** The equal share when the slot was taken or refused. */
    int share() {
      return share;
    }

    /** What the caller held then, this slot included when taken. */
    int held() {
      return held;
    }

    @Override
    public void close() {
      if (refusal != null) {
        return;
      }
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      release(caller);
    }
  }
}
