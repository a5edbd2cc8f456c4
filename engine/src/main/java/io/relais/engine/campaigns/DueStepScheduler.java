package io.relais.engine.campaigns;

import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides campaign steps when they come due (docs/campaigns.md): finds contacts whose
 * {@code nextDueAt} has passed with a range query, decides a page of them in bulks through
 * {@link EventRecorder#recordDueSteps} and what the bulk leaves (a contact changed meanwhile,
 * more steps due) through {@link EventRecorder#recordDueStep}; their conditional writes make each
 * step happen once however many instances race and whatever crashes. Runs at start (steps that came due while nothing
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
    AtomicInteger decided = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    // With threads: evaluations on one pool, and up to `threads` pages written at once on
    // another (a page waits on its own I/O; the next pages need not wait for it).
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    ExecutorService pages = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    List<Future<?>> inFlight = new ArrayList<>();
    try {
      ContactStore.Page.Cursor from = null;
      while (true) {
        ContactStore.DuePage page = contacts.dueSteps(now, from, pageSize);
        Runnable work = () -> decidePage(page, rulesets, pool, decided, failed);
        if (pages == null) {
          work.run();
        } else {
          inFlight.add(pages.submit(work));
          if (inFlight.size() >= threads && !await(inFlight.remove(0), failed)) {
            return new Pass(decided.get(), failed.get());
          }
        }
        if (page.last() == null || page.contacts().size() < pageSize) {
          for (Future<?> f : inFlight) {
            if (!await(f, failed)) {
              break;
            }
          }
          return new Pass(decided.get(), failed.get());
        }
        from = page.last();
      }
    } finally {
      if (pages != null) {
        pages.shutdownNow();
      }
      if (pool != null) {
        pool.shutdownNow();
      }
    }
  }

  // Waits for a task; false when interrupted (the pass ends), a task's failure counted.
  private static boolean await(Future<?> task, AtomicInteger failed) {
    try {
      task.get();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      failed.incrementAndGet();
      return true;
    }
  }

  // A page in bulks first; what the bulk leaves (a lost race, more steps due) one by one.
  private void decidePage(ContactStore.DuePage page, List<CompiledRuleset> rulesets, ExecutorService pool,
      AtomicInteger decided, AtomicInteger failed) {
    Map<String, ContactStore.Due> byId = new LinkedHashMap<>();
    Map<String, List<String>> campaigns = new LinkedHashMap<>();
    for (ContactStore.Due due : page.contacts()) {
      byId.put(due.contactId(), due);
      campaigns.put(due.contactId(), due.campaigns());
    }
    List<ContactStore.Due> rest = new ArrayList<>();
    try {
      EventRecorder.DueBulk bulk = recorder.recordDueSteps(campaigns, owner(rulesets),
          pool == null ? 1 : threads, pool == null ? Runnable::run : pool);
      decided.addAndGet(bulk.decided());
      failed.addAndGet(bulk.failed());
      bulk.oneByOne().forEach(id -> rest.add(byId.get(id)));
    } catch (RuntimeException e) { // the page's read failed: the next pass tries again
      failed.addAndGet(page.contacts().size());
      LOG.warn("due steps of a page of {} contacts not decided now: {}", page.contacts().size(), e.toString());
    }
    List<Future<?>> work = new ArrayList<>();
    for (ContactStore.Due due : rest) {
      Runnable one = () -> decide(due, rulesets, decided, failed);
      if (pool == null) {
        one.run();
      } else {
        work.add(pool.submit(one));
      }
    }
    for (Future<?> f : work) {
      if (!await(f, failed)) {
        return;
      }
    }
  }

  // The ruleset that decides a campaign's steps: the first active one that declares it.
  private static Function<String, Optional<CompiledRuleset>> owner(List<CompiledRuleset> rulesets) {
    Map<String, Optional<CompiledRuleset>> owners = new java.util.concurrent.ConcurrentHashMap<>();
    return campaign -> owners.computeIfAbsent(campaign,
        c -> rulesets.stream().filter(r -> r.declaresCampaign(c)).findFirst());
  }

  private void decide(ContactStore.Due due, List<CompiledRuleset> rulesets,
      AtomicInteger decided, AtomicInteger failed) {
    for (String campaign : due.campaigns()) {
      Optional<CompiledRuleset> owner = owner(rulesets).apply(campaign);
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
