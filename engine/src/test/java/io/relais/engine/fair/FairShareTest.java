package io.relais.engine.fair;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.engine.fair.FairShare.Refusal;
import io.relais.engine.fair.FairShare.Slot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link FairShare}: the ceiling, the equal share while another caller is short,
 * lending while nobody is, shares following the callers that come and go, slots always
 * returned. The clock is the test's: a refused caller's claim lasts {@link
 * FairShare#REMEMBERED} of it.
 */
class FairShareTest {

  private final AtomicLong clock = new AtomicLong();

  private FairShare pool(int total, int ceiling) {
    return new FairShare(total, ceiling, clock::get);
  }

  private static List<Slot> take(FairShare pool, String caller, int n) {
    List<Slot> slots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Slot slot = pool.tryAcquire(caller);
      assertThat(slot.granted()).as("slot %d of %s", i + 1, caller).isTrue();
      slots.add(slot);
    }
    return slots;
  }

  @Test
  void aCallerAtItsCeilingIsRefusedWhileAnotherStillGetsSlots() {
    FairShare pool = pool(8, 2);
    take(pool, "a", 2);

    assertThat(pool.tryAcquire("a").refusal()).isEqualTo(Refusal.SHARE);
    take(pool, "b", 2);
    assertThat(pool.tryAcquire("b").refusal()).isEqualTo(Refusal.SHARE);
    assertThat(pool.inUse()).isEqualTo(4);
  }

  @Test
  void aCallerAtItsShareIsRefusedWhileAnotherBelowItsShareWasRefused() {
    FairShare pool = pool(4, 4);
    List<Slot> a = take(pool, "a", 4); // alone: its share is the whole pool

    assertThat(pool.tryAcquire("b").refusal()).isEqualTo(Refusal.FULL); // b now counts: shares of 2
    a.get(0).close();
    assertThat(pool.tryAcquire("a").refusal()).as("a holds 3 of a share of 2").isEqualTo(Refusal.SHARE);
    Slot b = pool.tryAcquire("b");
    assertThat(b.granted()).isTrue();

    // b's claim is met: while it asks for nothing more, a free slot is lent to a.
    a.get(1).close();
    Slot lent = pool.tryAcquire("a");
    assertThat(lent.granted()).isTrue();
    assertThat(pool.tryAcquire("b").refusal()).isEqualTo(Refusal.FULL);
    lent.close();
    assertThat(pool.tryAcquire("a").refusal()).as("b is short again: 1 of 2").isEqualTo(Refusal.SHARE);
    assertThat(pool.tryAcquire("b").granted()).isTrue();
    assertThat(pool.held("a")).isEqualTo(2);
    assertThat(pool.held("b")).isEqualTo(2);
  }

  @Test
  void whatNobodyShortWantsIsLentUpToTheCeiling() {
    FairShare pool = pool(8, 6);
    take(pool, "b", 1);
    // a and b share 4 each, but b asks for no more: a may borrow up to its ceiling.
    take(pool, "a", 6);
    assertThat(pool.tryAcquire("a").refusal()).isEqualTo(Refusal.SHARE);
    take(pool, "b", 1);
  }

  @Test
  void sharesShrinkAsCallersComeAndGrowAsTheyGo() {
    FairShare pool = pool(6, 6);
    List<Slot> a = take(pool, "a", 6);
    // b and c are refused: three callers, shares of 2.
    assertThat(pool.tryAcquire("b").refusal()).isEqualTo(Refusal.FULL);
    assertThat(pool.tryAcquire("c").refusal()).isEqualTo(Refusal.FULL);
    for (int i = 0; i < 4; i++) {
      a.get(i).close();
    }
    assertThat(pool.tryAcquire("a").refusal()).isEqualTo(Refusal.SHARE);
    List<Slot> b = take(pool, "b", 2);
    List<Slot> c = take(pool, "c", 2);
    assertThat(pool.inUse()).isEqualTo(6);

    // c leaves and its claim is met: shares of 3, and a (2) may take again while b (2) asks nothing.
    c.forEach(Slot::close);
    take(pool, "a", 2);
    // b goes too: a may have the whole pool again.
    b.forEach(Slot::close);
    take(pool, "a", 2);
    assertThat(pool.held("a")).isEqualTo(6);
  }

  @Test
  void aRefusedCallersClaimLapsesAfterTheRememberedTime() {
    FairShare pool = pool(2, 2);
    List<Slot> a = take(pool, "a", 2);
    assertThat(pool.tryAcquire("b").refusal()).isEqualTo(Refusal.FULL);
    a.get(0).close();

    clock.addAndGet(FairShare.REMEMBERED.toNanos() - 1);
    assertThat(pool.tryAcquire("a").refusal()).as("b's claim stands").isEqualTo(Refusal.SHARE);
    clock.addAndGet(1);
    assertThat(pool.tryAcquire("a").granted()).as("b did not come back").isTrue();
  }

  @Test
  void aWaitingCallerBelowItsShareGetsTheNextReleasedSlot() throws Exception {
    FairShare pool = pool(2, 2);
    List<Slot> a = take(pool, "a", 2);
    ExecutorService waiters = Executors.newFixedThreadPool(2);
    try {
      Future<Slot> b = waiters.submit(() -> pool.acquire("b", Duration.ofSeconds(30)));
      Future<Slot> moreForA = waiters.submit(() -> pool.acquire("a", Duration.ofSeconds(30)));
      until(() -> pool.waiting("b") == 1 && pool.waiting("a") == 1); // shares of 1 now

      a.get(0).close();
      // Three want the slot: b below its share wins it, neither of a's asks does.
      assertThat(pool.tryAcquire("a").granted()).isFalse();
      assertThat(b.get(1, TimeUnit.MINUTES).granted()).isTrue();
      assertThat(pool.held("b")).isEqualTo(1);
      assertThat(pool.held("a")).isEqualTo(1);
      assertThat(pool.waiting("a")).isEqualTo(1);
      a.get(1).close();
      assertThat(moreForA.get(1, TimeUnit.MINUTES).granted()).isTrue();
    } finally {
      waiters.shutdownNow();
    }
  }

  @Test
  void aCallerWaitsForItsOwnSlotsAtTheCeilingAndIsRefusedWhenNoneComes() throws Exception {
    FairShare pool = pool(4, 1);
    Slot a = pool.tryAcquire("a");
    assertThat(pool.acquire("a", Duration.ZERO).refusal()).isEqualTo(Refusal.SHARE);
    assertThat(pool.acquire("a", Duration.ofMillis(1)).refusal()).isEqualTo(Refusal.SHARE);

    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      Future<Slot> second = waiter.submit(() -> pool.acquire("a", Duration.ofMinutes(1)));
      until(() -> pool.waiting("a") == 1);
      a.close();
      assertThat(second.get(1, TimeUnit.MINUTES).granted()).isTrue();
    } finally {
      waiter.shutdownNow();
    }
  }

  @Test
  void slotsAreReturnedOnceWhateverHappensWhileTheyAreHeld() throws Exception {
    FairShare pool = pool(2, 2);
    assertThatThrownBy(() -> {
      try (Slot slot = pool.tryAcquire("a")) {
        assertThat(slot.granted()).isTrue();
        throw new IllegalStateException("the call failed");
      }
    }).isInstanceOf(IllegalStateException.class);
    assertThat(pool.inUse()).isZero();

    Slot slot = pool.tryAcquire("a");
    slot.close();
    slot.close();
    pool.tryAcquire("a").close(); // a refusal closes to nothing: nothing is returned twice
    assertThat(pool.inUse()).isZero();
    assertThat(pool.callersAtWork()).isZero();
    take(pool, "a", 2);
    Slot refused = pool.tryAcquire("a");
    refused.close();
    assertThat(pool.inUse()).isEqualTo(2);

    // A waiter interrupted leaves no demand behind.
    Thread waiting = new Thread(() -> {
      try {
        pool.acquire("b", Duration.ofMinutes(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    waiting.start();
    until(() -> pool.waiting("b") == 1);
    waiting.interrupt();
    waiting.join(TimeUnit.MINUTES.toMillis(1));
    assertThat(pool.callersAtWork()).isEqualTo(1);
  }

  @Test
  void settingsOutsideThePoolAreRefused() {
    assertThatThrownBy(() -> new FairShare(0, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FairShare(4, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FairShare(4, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Many threads of several callers take, hold and return slots (some failing inside, some
   * waiting, some not): never more than the pool in use, never more than the ceiling for one
   * caller, a slot above its share only when lent, and everything returned at the end.
   */
  @Test
  void underContentionThePoolAndTheCeilingAreNeverExceeded() throws Exception {
    int total = 8;
    int ceiling = 3;
    FairShare pool = new FairShare(total, ceiling);
    String[] callers = {"a", "b", "c", "d", "e"};
    AtomicInteger inUse = new AtomicInteger();
    AtomicInteger mostInUse = new AtomicInteger();
    Map<String, AtomicInteger> held = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> mostHeld = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> granted = new ConcurrentHashMap<>();
    List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (String caller : callers) {
      held.put(caller, new AtomicInteger());
      mostHeld.put(caller, new AtomicInteger());
      granted.put(caller, new AtomicInteger());
    }
    int threads = 24;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pooled = Executors.newFixedThreadPool(threads);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      String caller = callers[t % callers.length];
      work.add(pooled.submit(() -> {
        start.await();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 1_000; i++) {
          Slot slot = random.nextBoolean() ? pool.tryAcquire(caller) : pool.acquire(caller, Duration.ofMillis(5));
          try (slot) {
            if (!slot.granted()) {
              continue;
            }
            granted.get(caller).incrementAndGet();
            if (slot.held() > ceiling) {
              violations.add(caller + " held " + slot.held() + " over the ceiling");
            }
            mostInUse.accumulateAndGet(inUse.incrementAndGet(), Math::max);
            mostHeld.get(caller).accumulateAndGet(held.get(caller).incrementAndGet(), Math::max);
            Thread.yield();
            held.get(caller).decrementAndGet();
            inUse.decrementAndGet();
            if (random.nextInt(10) == 0) {
              throw new IllegalStateException("a failure while holding the slot");
            }
          } catch (IllegalStateException expected) {
            // the slot went back all the same
          }
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> done : work) {
      done.get(5, TimeUnit.MINUTES);
    }
    pooled.shutdown();

    assertThat(violations).isEmpty();
    assertThat(mostInUse.get()).isLessThanOrEqualTo(total);
    for (String caller : callers) {
      assertThat(mostHeld.get(caller).get()).as(caller).isLessThanOrEqualTo(ceiling);
      assertThat(granted.get(caller).get()).as(caller).isPositive();
    }
    assertThat(pool.inUse()).isZero();
    assertThat(pool.callersAtWork()).isZero();
  }

  private static void until(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not reached within a minute");
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a polling interval
    }
  }
}
