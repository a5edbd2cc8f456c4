package io.relais.engine.actions;

import io.relais.engine.fair.Callers;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's deliverer: one thread finds due deliveries and claims them (a lease, {@link
 * Deliveries#claim}), a bounded pool of its own sends them, each at most {@code timeout}, so a
 * receiver that hangs holds a sender and never an event's thread. Each attempt's outcome is
 * written conditionally on the claim: delivered on a 2xx; otherwise pending again with the next
 * attempt after the backoff, or failed once the window has passed (docs/webhooks.md).
 */
public final class DeliveryWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
  /**
   * How long a finished delivery is left out of this instance's claims: searches show it pending
   * until the next refresh (1 s). Only saves a claim bound to fail (its version is stale).
   */
  private static final Duration FORGET_AFTER = Duration.ofSeconds(1);
  private static final int EXCERPT_BYTES = 4 * Excerpts.MAX_CHARACTERS;
  private static final Duration OLDEST_EVERY = Duration.ofSeconds(10);

  private final Deliveries deliveries;
  private final Webhooks webhooks;
  private final Clock clock;
  private final DeliverySettings settings;
  private final DeliveryListener listener;
  private final Backoff backoff;
  private final String owner = UUID.randomUUID().toString();
  private final HttpClient http;
  // Held now, and finished a moment ago (by monotonic time), left out of the claims.
  private final Map<String, Long> held = new ConcurrentHashMap<>();
  private final AtomicLong oldestPendingSeconds = new AtomicLong();
  private volatile boolean running;
  private Thread finder;
  private ExecutorService senders;
  private ScheduledExecutorService deadlines;

  public DeliveryWorker(Deliveries deliveries, Webhooks webhooks, Clock clock, DeliverySettings settings,
      DeliveryListener listener) {
    this.deliveries = deliveries;
    this.webhooks = webhooks;
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
    this.backoff = new Backoff(settings.window());
    // Redirects are not followed: a subscription's URL is where its deliveries go, nowhere else.
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout())
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Starts finding and sending deliveries; idempotent. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    senders = Executors.newFixedThreadPool(settings.threads(), r -> named(r, "relais-webhook-send"));
    deadlines = Executors.newSingleThreadScheduledExecutor(r -> named(r, "relais-webhook-deadline"));
    finder = named(this::find, "relais-webhook-find");
    finder.start();
  }

  /** Whether it runs. */
  public boolean running() {
    return running;
  }

  /**
   * Stops at once: deliveries in flight are abandoned with their lease, which ends and lets any
   * instance (this one when started again) attempt them again with the same id.
   */
  @Override
  public synchronized void close() {
    running = false;
    if (finder != null) {
      finder.interrupt();
      senders.shutdownNow();
      deadlines.shutdownNow();
      finder = null;
    }
    held.clear();
  }

  /** Seconds since the oldest pending delivery came due, as of the last look (every 10 s). */
  public long oldestPendingSeconds() {
    return oldestPendingSeconds.get();
  }

  private static Thread named(Runnable r, String name) {
    Thread t = new Thread(() -> {
      // Deliveries share the store's calls in flight as one background caller of their own.
      try (Callers.Scope scope = Callers.as(Callers.system("webhooks"))) {
        r.run();
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  private void find() {
    long nextRefresh = 0;
    long nextOldest = 0;
    while (running && !Thread.currentThread().isInterrupted()) {
      boolean full = false;
      try {
        long tick = System.nanoTime();
        if (tick - nextRefresh >= 0) {
          webhooks.refresh();
          nextRefresh = tick + settings.refresh().toNanos();
        }
        if (tick - nextOldest >= 0) {
          Instant now = clock.instant();
          oldestPendingSeconds.set(deliveries.oldestPending()
              .map(due -> Math.max(0, Duration.between(due, now).toSeconds())).orElse(0L));
          nextOldest = tick + OLDEST_EVERY.toNanos();
        }
        forget(tick);
        // Up to twice as many as there are senders: the next round's claims are made while this
        // round's requests are in flight (a claim is a search and a bulk, slower than a request to
        // a quick receiver). A claimed delivery waits at most one time-out for a sender, well
        // within its lease (at least two time-outs).
        int free = 2 * settings.threads() - (int) held.values().stream().filter(v -> v == 0L).count();
        if (free > 0) {
          Instant now = clock.instant();
          List<Deliveries.Claimed> claimed = deliveries.claim(owner, now, now.plus(settings.lease()), free,
              held.keySet());
          for (Deliveries.Claimed c : claimed) {
            held.put(c.delivery().id(), 0L);
            senders.execute(() -> attempt(c));
          }
          full = claimed.size() == free; // a full claim: more may be due at once
        }
      } catch (RuntimeException e) {
        if (!running) {
          return; // closed while asking the store
        }
        log.warn("Looking for due webhook deliveries failed, trying again: {}", e.toString());
      }
      if (!full) {
        LockSupport.parkNanos(settings.poll().toNanos());
      } else {
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos()); // every sender busy: wait for one
      }
    }
  }

  // Finished deliveries stay out of the claims until searches surely see them finished.
  private void forget(long tick) {
    held.entrySet().removeIf(e -> e.getValue() != 0L && tick - e.getValue() >= 0);
  }

  private void done(String id) {
    held.put(id, System.nanoTime() + FORGET_AFTER.toNanos() | 1L);
  }

  private void attempt(Deliveries.Claimed claimed) {
    Delivery delivery = claimed.delivery();
    try {
      Optional<Webhook> webhook = webhooks.subscription(delivery.webhook()).or(() -> webhooks.get(delivery.webhook()));
      Instant now = clock.instant();
      if (webhook.isEmpty()) {
        end(claimed, Delivery.FAILED, now, null, "webhook deleted", null);
        return;
      }
      Attempt result = send(webhook.get(), delivery, claimed.body(), now);
      listener.attempted(delivery.webhook(), result.kind());
      int attempts = delivery.attempts() + 1;
      Map<String, Object> changes = new LinkedHashMap<>();
      changes.put("attempts", attempts);
      changes.put("lastAttemptAt", now.toString());
      changes.put("lastStatus", result.status());
      changes.put("lastError", result.error());
      changes.put("excerpt", result.excerpt());
      if (result.delivered()) {
        changes.put("state", Delivery.DELIVERED);
        changes.put("deliveredAt", clock.instant().toString());
        finish(claimed, changes, Delivery.DELIVERED);
        return;
      }
      Instant start = delivery.windowStart() == null ? delivery.dueAt() : delivery.windowStart();
      Optional<Instant> next = backoff.next(attempts, start, now);
      if (next.isPresent()) {
        changes.put("nextAttemptAt", next.get().toString());
        finish(claimed, changes, null);
      } else {
        changes.put("state", Delivery.FAILED);
        finish(claimed, changes, Delivery.FAILED);
      }
    } catch (RuntimeException e) {
      // The store did not take the outcome, or this deliverer was closed: the lease ends and the
      // delivery is attempted again.
      if (running) {
        log.warn("Delivery {} not recorded, attempted again when its lease ends: {}", delivery.id(), e.toString());
      }
    } finally {
      done(delivery.id());
    }
  }

  private void end(Deliveries.Claimed claimed, String state, Instant now, Integer status, String error,
      String excerpt) {
    Map<String, Object> changes = new LinkedHashMap<>();
    changes.put("state", state);
    changes.put("lastAttemptAt", now.toString());
    changes.put("lastStatus", status);
    changes.put("lastError", error);
    changes.put("excerpt", excerpt);
    finish(claimed, changes, state);
  }

  private void finish(Deliveries.Claimed claimed, Map<String, Object> changes, String ended) {
    if (!deliveries.finish(claimed, changes)) {
      log.info("Delivery {} was taken over by another instance after this one's lease ended",
          claimed.delivery().id());
      return;
    }
    if (ended != null) {
      listener.ended(claimed.delivery().webhook(), ended);
    }
  }

  /** One attempt's result: the status (null without an answer), its excerpt, or the error. */
  record Attempt(Integer status, String excerpt, String error, String kind) {
    boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private Attempt send(Webhook webhook, Delivery delivery, String body, Instant now) {
    long timestamp = now.getEpochSecond();
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(URI.create(webhook.url())).timeout(settings.timeout())
          .header("content-type", "application/json")
          .header("user-agent", "Relais-Webhooks/1")
          .header("webhook-id", delivery.actionId())
          .header("webhook-timestamp", Long.toString(timestamp))
          .header("webhook-signature", Signatures.header(webhooks.signingSecrets(webhook, now),
              delivery.actionId(), timestamp, body))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    } catch (IllegalArgumentException e) {
      return new Attempt(null, null, "invalid url: " + e.getMessage(), "error");
    }
    try {
      HttpResponse<InputStream> response = http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
          .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
      int status = response.statusCode();
      return new Attempt(status, excerpt(response.body()), null, (status / 100) + "xx");
    } catch (TimeoutException e) {
      return new Attempt(null, null, "no answer within " + settings.timeout().toSeconds() + " s", "timeout");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException) {
        return new Attempt(null, null, "no answer within " + settings.timeout().toSeconds() + " s", "timeout");
      }
      if (cause instanceof ConnectException) {
        return new Attempt(null, null, "connection refused", "refused");
      }
      return new Attempt(null, null, Excerpts.of(String.valueOf(cause).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          "error");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stopped while delivering", e);
    }
  }

  // The answer's first bytes, read within the time-out: a receiver trickling its body is cut off.
  private String excerpt(InputStream body) {
    ScheduledFuture<?> cut = deadlines.schedule(() -> close(body), settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    try (body) {
      return Excerpts.of(body.readNBytes(EXCERPT_BYTES));
    } catch (IOException e) {
      return "";
    } finally {
      cut.cancel(false);
    }
  }

  private static void close(InputStream body) {
    try {
      body.close();
    } catch (IOException ignored) {
      // Closing is all we wanted.
    }
  }
}
