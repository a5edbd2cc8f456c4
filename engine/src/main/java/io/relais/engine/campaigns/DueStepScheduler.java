package io.relais.engine.campaigns;

import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides campaign steps when they come due (docs/campaigns.md): finds contacts whose
 * {@code nextDueAt} has passed with a range query, and decides each due step through
 * {@link EventRecorder#recordDueStep}, whose conditional write makes it happen once however
 * many instances race and whatever crashes. Runs at start (steps that came due while nothing
 * ran) and then every {@code every}.
 */
public final class DueStepScheduler implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DueStepScheduler.class);

  private final ContactStore contacts;
  private final EventRecorder recorder;
  private final Supplier<List<CompiledRuleset>> active;
  private final Clock clock;
  private final int pageSize;
  private final int threads;
  private ScheduledExecutorService timer;

  /**
   * @param active the active rulesets, by name: a step belongs to the first that declares its
   *     campaign
   */
  public DueStepScheduler(ContactStore contacts, EventRecorder recorder,
      Supplier<List<CompiledRuleset>> active, Clock clock, int pageSize) {
    this(contacts, recorder, active, clock, pageSize, 1);
  }

  /** A scheduler that decides the contacts of a page on {@code threads} threads at once. */
  public DueStepScheduler(ContactStore contacts, EventRecorder recorder,
      Supplier<List<CompiledRuleset>> active, Clock clock, int pageSize, int threads) {
    this.contacts = contacts;
    this.recorder = recorder;
    this.active = active;
    this.clock = clock;
    this.pageSize = pageSize;
    this.threads = threads;
  }

  /** What one pass did: steps decided (each a recorded decision), and contacts that failed. */
  public record Pass(int decided, int failed) {}

  /** Decides every step due now; safe to run on any number of instances at once. */
  public Pass runOnce() {
    Instant now = clock.instant();
    List<CompiledRuleset> rulesets = active.get();
    java.util.concurrent.atomic.AtomicInteger decided = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = threads > 1
        ? Executors.newFixedThreadPool(threads) : null;
    try {
      ContactStore.Page.Cursor from = null;
      while (true) {
        ContactStore.DuePage page = contacts.dueSteps(now, from, pageSize);
        List<java.util.concurrent.Future<?>> work = new java.util.ArrayList<>();
        for (ContactStore.Due due : page.contacts()) {
          Runnable one = () -> decide(due, rulesets, decided, failed);
          if (pool == null) {
            one.run();
          } else {
            work.add(pool.submit(one));
          }
        }
        for (java.util.concurrent.Future<?> f : work) {
          try {
            f.get();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Pass(decided.get(), failed.get());
          } catch (java.util.concurrent.ExecutionException e) {
            failed.incrementAndGet();
          }
        }
        if (page.last() == null || page.contacts().size() < pageSize) {
          return new Pass(decided.get(), failed.get());
        }
        from = page.last();
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  private void decide(ContactStore.Due due, List<CompiledRuleset> rulesets,
      java.util.concurrent.atomic.AtomicInteger decided,
      java.util.concurrent.atomic.AtomicInteger failed) {
    for (String campaign : due.campaigns()) {
      Optional<CompiledRuleset> owner = rulesets.stream()
          .filter(r -> r.declaresCampaign(campaign)).findFirst();
      if (owner.isEmpty()) {
        continue;
      }
      try {
        // Several steps of one enrollment may be due: each is its own decision.
        while (recorder.recordDueStep(due.contactId(), campaign, owner.get())
            .filter(o -> !o.replayed()).isPresent()) {
          decided.incrementAndGet();
        }
      } catch (RuntimeException e) { // ContactBusyException among them: the next pass retries
        failed.incrementAndGet();
        LOG.warn("due steps of contact {} in campaign {} not decided now: {}",
            due.contactId(), campaign, e.toString());
      }
    }
  }

  /** Runs a pass now, then every {@code every}, on a thread of its own. */
  public synchronized void start(Duration every) {
    if (timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "relais-due-steps");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        Pass pass = runOnce();
        if (pass.decided() > 0 || pass.failed() > 0) {
          LOG.info("due steps: {} decided, {} contacts failed", pass.decided(), pass.failed());
        }
      } catch (RuntimeException e) {
        LOG.warn("due-step pass failed; the next one tries again: {}", e.toString());
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }
}
