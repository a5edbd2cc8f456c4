package io.relais.engine.actions;

import io.relais.engine.fair.Callers;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's deliverer. One thread claims due deliveries in rounds (one search and one
 * bulk of conditional updates, {@link Deliveries#claim}); the requests go out on the JDK's
 * asynchronous HTTP client, at most {@code concurrency} in flight and {@code perWebhook} to one
 * webhook, each at most {@code timeout}, so a receiver that hangs holds a request slot and never
 * a thread; the outcomes of the attempts that ended meanwhile are written in one shared bulk,
 * conditionally on the claim: delivered on a 2xx; otherwise pending again with the next attempt
 * after the backoff, or failed once the window has passed (docs/webhooks.md). A claim round does
 * not wait for the last round's requests or outcomes, and claims no more than can be sent within
 * the leases. A delivery created on this instance and due at once is handed to it directly
 * ({@link #handOff}): created already claimed by this deliverer, queued when the store has
 * created it, with no search, no claim write and no wait for a refresh; if this instance stops
 * first, its lease ends and any deliverer's claims find it as they find any other.
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
  // The HTTP client's own threads: they build and sign the next requests and read the answers.
  private final ExecutorService io = Executors.newCachedThreadPool(r -> named(r, "relais-webhook-send"));
  private final HttpClient http;
  // Held now (0), and finished a moment ago (by monotonic time), left out of the claims.
  private final Map<String, Long> held = new ConcurrentHashMap<>();
  private final AtomicLong oldestPendingSeconds = new AtomicLong();
  // A pump of the hand-offs is scheduled on the client's threads and has not started yet: the
  // hand-offs that arrive meanwhile are started by it, not each by a task (and a thread woken) of its own.
  private final AtomicBoolean pumpScheduled = new AtomicBoolean();
  // Claimed and not sent yet, per webhook in claim order, and the requests in flight: guarded by
  // slots. A start or close begins a new generation; what an older one finishes is dropped.
  private final Object slots = new Object();
  private final Map<String, ArrayDeque<Deliveries.Claimed>> waiting = new LinkedHashMap<>();
  private final Map<String, Integer> sending = new HashMap<>();
  // Deliveries being created claimed by this deliverer (handed off), by id, until the store answers.
  private final Map<String, Reserved> reserved = new HashMap<>();
  private final Map<String, Integer> reservedPerWebhook = new HashMap<>();
  private int waitingTotal;
  private int sendingTotal;
  private long generation;
  private volatile boolean running;
  private Thread finder;
  private ScheduledThreadPoolExecutor deadlines;

  public DeliveryWorker(Deliveries deliveries, Webhooks webhooks, Clock clock, DeliverySettings settings,
      DeliveryListener listener) {
    this.deliveries = deliveries;
    this.webhooks = webhooks;
    this.clock = clock;
    this.settings = settings;
    this.listener = listener;
    this.backoff = new Backoff(settings.window());
    // Redirects are not followed: a subscription's URL is where its deliveries go, nowhere else.
    this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).executor(io)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Starts finding and sending deliveries; idempotent. */
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    synchronized (slots) {
      generation++;
    }
    deadlines = new ScheduledThreadPoolExecutor(1, r -> named(r, "relais-webhook-deadline"));
    deadlines.setRemoveOnCancelPolicy(true);
    finder = named(this::find, "relais-webhook-find");
    finder.start();
  }

  /** Whether it runs. */
  public boolean running() {
    return running;
  }

  /**
   * Stops at once: deliveries claimed or in flight are abandoned with their lease, which ends
   * and lets any instance (this one when started again) attempt them again with the same id.
   */
  @Override
  public synchronized void close() {
    running = false;
    synchronized (slots) {
      generation++;
      waiting.clear();
      sending.clear();
      reserved.clear();
      reservedPerWebhook.clear();
      waitingTotal = 0;
      sendingTotal = 0;
    }
    if (finder != null) {
      finder.interrupt();
      deadlines.shutdownNow();
      finder = null;
    }
    held.clear();
  }

  /** Seconds since the oldest pending delivery came due, as of the last look (every 10 s). */
  public long oldestPendingSeconds() {
    return oldestPendingSeconds.get();
  }

  /** Requests in flight now, to {@code webhook} (null: to any). */
  int inFlight(String webhook) {
    synchronized (slots) {
      return webhook == null ? sendingTotal : sending.getOrDefault(webhook, 0);
    }
  }

  /** Deliveries being created claimed by this deliverer now, waiting for the store's answer. */
  int reserved() {
    synchronized (slots) {
      return reserved.size();
    }
  }

  /** Deliveries claimed and waiting for a request slot now, to {@code webhook} (null: to any). */
  int waiting(String webhook) {
    synchronized (slots) {
      if (webhook == null) {
        return waitingTotal;
      }
      ArrayDeque<Deliveries.Claimed> queue = waiting.get(webhook);
      return queue == null ? 0 : queue.size();
    }
  }

  // A delivery being created claimed by this deliverer: the document to create, its lease, the generation.
  private record Reserved(String webhook, Map<String, Object> document, Instant leaseUntil, long gen) {}

  /**
   * Hands a delivery about to be created on this instance to this deliverer: returns the document
   * to create instead of {@code document}, claimed by this deliverer with its lease, and {@link
   * #handedOff} must follow with the store's answer (a reservation nobody answers is dropped when
   * its lease ends). Null when it is not to be handed off: not running, not due yet, or the queue
   * full ({@code handoff} deliveries waiting or being created, or as many as the request slots
   * send within a lease, in all or to this webhook); it is then created unclaimed and found by a
   * search.
   */
  public Map<String, Object> handOff(String id, String webhook, Instant dueAt, Map<String, Object> document) {
    Instant now = clock.instant();
    if (!running || dueAt.isAfter(now)) {
      return null;
    }
    int rounds = settings.rounds();
    synchronized (slots) {
      if (!running || reserved.containsKey(id) || held.containsKey(id)
          || reserved.size() + waitingTotal >= settings.handoff()
          || reserved.size() + waitingTotal + sendingTotal >= settings.concurrency() * rounds
          || queued(webhook) >= settings.perWebhook() * rounds) {
        return null;
      }
      Instant leaseUntil = now.plus(settings.lease());
      Map<String, Object> leased = Deliveries.leased(document, owner, leaseUntil);
      reserved.put(id, new Reserved(webhook, leased, leaseUntil, generation));
      reservedPerWebhook.merge(webhook, 1, Integer::sum);
      return leased;
    }
  }

  /**
   * The store's answer to creating a delivery {@link #handOff} returned {@code document} for:
   * created (with its version), it is queued to be sent; otherwise (it existed, or the write
   * failed) the reservation is let go. Answers for documents this deliverer did not hand out
   * are ignored.
   */
  public void handedOff(String id, Object document, boolean created, long seqNo, long primaryTerm) {
    long gen;
    synchronized (slots) {
      Reserved r = reserved.get(id);
      if (r == null || r.document() != document) {
        return;
      }
      unreserve(id, r);
      // Stopped or restarted since, or the creation took so long that the lease no longer covers
      // the queue's wait and the attempt: left to the lease's end, then any deliverer's claims.
      if (!created || r.gen() != generation || !running
          || clock.instant().plus(settings.budget()).isAfter(r.leaseUntil())) {
        return;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> leased = r.document();
      Deliveries.Claimed claimed = new Deliveries.Claimed(Delivery.fromDocument(id, leased),
          (String) leased.get("body"), seqNo, primaryTerm, leased);
      held.put(id, 0L);
      waiting.computeIfAbsent(r.webhook(), w -> new ArrayDeque<>()).add(claimed);
      waitingTotal++;
      gen = generation;
    }
    // Started on the client's threads: the caller is the store's writer, answering other writes.
    if (pumpScheduled.compareAndSet(false, true)) {
      io.execute(() -> {
        pumpScheduled.set(false); // before the pump: what is handed off while it runs schedules another
        pump(gen);
      });
    }
  }

  // Waiting, in flight and being created for this webhook: guarded by slots.
  private int queued(String webhook) {
    ArrayDeque<Deliveries.Claimed> queue = waiting.get(webhook);
    return (queue == null ? 0 : queue.size()) + sending.getOrDefault(webhook, 0)
        + reservedPerWebhook.getOrDefault(webhook, 0);
  }

  private void unreserve(String id, Reserved r) {
    reserved.remove(id);
    reservedPerWebhook.computeIfPresent(r.webhook(), (w, n) -> n <= 1 ? null : n - 1);
  }

  // Reservations whose lease ended without an answer from the store: their deliveries, if
  // created, are any deliverer's again. Guarded by slots.
  private void purgeReserved(Instant now) {
    List<Map.Entry<String, Reserved>> ended = reserved.entrySet().stream()
        .filter(e -> !e.getValue().leaseUntil().isAfter(now)).toList();
    ended.forEach(e -> unreserve(e.getKey(), e.getValue()));
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
    int rounds = settings.rounds();
    while (running && !Thread.currentThread().isInterrupted()) {
      boolean more = false;
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
        // Claimed and not sent yet, at most what the request slots send within a lease: each
        // waits at most rounds - 1 time-outs for a slot, then its attempt takes one, so every
        // attempt ends within its lease (at least two time-outs) and is recorded by its claim.
        long gen;
        int room;
        Map<String, Integer> used = new HashMap<>();
        synchronized (slots) {
          gen = generation;
          purgeReserved(clock.instant());
          room = settings.concurrency() * rounds - waitingTotal - sendingTotal - reserved.size();
          waiting.forEach((webhook, queue) -> used.merge(webhook, queue.size(), Integer::sum));
          sending.forEach((webhook, n) -> used.merge(webhook, n, Integer::sum));
          reservedPerWebhook.forEach((webhook, n) -> used.merge(webhook, n, Integer::sum));
        }
        int perWebhook = settings.perWebhook() * rounds;
        List<String> full = used.entrySet().stream().filter(e -> e.getValue() >= perWebhook)
            .map(Map.Entry::getKey).toList();
        if (room > 0) {
          Instant now = clock.instant();
          int max = Math.min(settings.batch(), room);
          List<Deliveries.Claimed> claimed = deliveries.claim(owner, now, now.plus(settings.lease()), max,
              held.keySet(), full, webhook -> perWebhook - used.getOrDefault(webhook, 0));
          synchronized (slots) {
            if (gen != generation) {
              return; // closed while claiming: the leases end
            }
            for (Deliveries.Claimed c : claimed) {
              held.put(c.delivery().id(), 0L);
              waiting.computeIfAbsent(c.delivery().webhook(), w -> new ArrayDeque<>()).add(c);
              waitingTotal++;
            }
          }
          pump(gen);
          // Something found: the next search goes at once (more may be due, or claimed by others).
          more = !claimed.isEmpty();
        }
      } catch (RuntimeException e) {
        if (!running) {
          return; // closed while asking the store
        }
        log.warn("Looking for due webhook deliveries failed, trying again: {}", e.toString());
      }
      if (!more) {
        LockSupport.parkNanos(settings.poll().toNanos());
      }
    }
  }

  // Starts the waiting deliveries that free slots allow, one webhook after the other in turn.
  private void pump(long gen) {
    List<Deliveries.Claimed> start = new ArrayList<>();
    synchronized (slots) {
      if (gen != generation) {
        return;
      }
      boolean started = true;
      while (started && sendingTotal < settings.concurrency()) {
        started = false;
        Iterator<Map.Entry<String, ArrayDeque<Deliveries.Claimed>>> queues = waiting.entrySet().iterator();
        while (queues.hasNext() && sendingTotal < settings.concurrency()) {
          Map.Entry<String, ArrayDeque<Deliveries.Claimed>> queue = queues.next();
          if (sending.getOrDefault(queue.getKey(), 0) >= settings.perWebhook()) {
            continue;
          }
          start.add(queue.getValue().poll());
          waitingTotal--;
          sending.merge(queue.getKey(), 1, Integer::sum);
          sendingTotal++;
          started = true;
          if (queue.getValue().isEmpty()) {
            queues.remove();
          }
        }
      }
    }
    for (Deliveries.Claimed c : start) {
      attempt(c, gen);
    }
  }

  // A request ended: its slot goes to the next waiting delivery.
  private void sent(String webhook, long gen) {
    synchronized (slots) {
      if (gen != generation) {
        return;
      }
      sendingTotal--;
      sending.computeIfPresent(webhook, (w, n) -> n <= 1 ? null : n - 1);
    }
    pump(gen);
  }

  // Finished deliveries stay out of the claims until searches surely see them finished.
  private void forget(long tick) {
    held.entrySet().removeIf(e -> e.getValue() != 0L && tick - e.getValue() >= 0);
  }

  private void done(String id) {
    held.put(id, System.nanoTime() + FORGET_AFTER.toNanos() | 1L);
  }

  private void attempt(Deliveries.Claimed claimed, long gen) {
    Delivery delivery = claimed.delivery();
    Instant now = clock.instant();
    CompletableFuture<Attempt> sent;
    try {
      Optional<Webhook> webhook = webhooks.subscription(delivery.webhook()).or(() -> webhooks.get(delivery.webhook()));
      sent = webhook.isEmpty() ? CompletableFuture.completedFuture(null)
          : send(webhook.get(), delivery, claimed.body(), now);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    // An attempt that ended at once (no subscription, an invalid URL) goes on another thread:
    // inline, the next one's start would nest in this one's, as deep as the queue is long.
    java.util.function.BiConsumer<Attempt, Throwable> then = (result, error) -> {
      sent(delivery.webhook(), gen);
      if (error != null) {
        // The subscription could not be read: the lease ends and the delivery is attempted again.
        if (running) {
          log.warn("Delivery {} not attempted, attempted again when its lease ends: {}", delivery.id(),
              error.toString());
        }
        done(delivery.id());
        return;
      }
      if (!current(gen)) {
        return; // stopped while its request was in flight: abandoned with its lease
      }
      record(claimed, result, now);
    };
    if (sent.isDone()) {
      sent.whenCompleteAsync(then, io);
    } else {
      sent.whenComplete(then);
    }
  }

  private boolean current(long gen) {
    synchronized (slots) {
      return gen == generation;
    }
  }

  // The attempt's outcome (null: the webhook was deleted), in the next shared bulk.
  private void record(Deliveries.Claimed claimed, Attempt result, Instant now) {
    Delivery delivery = claimed.delivery();
    Map<String, Object> changes = new LinkedHashMap<>();
    String ended;
    if (result == null) {
      changes.put("state", Delivery.FAILED);
      changes.put("lastAttemptAt", now.toString());
      changes.put("lastStatus", null);
      changes.put("lastError", "webhook deleted");
      changes.put("excerpt", null);
      ended = Delivery.FAILED;
    } else {
      listener.attempted(delivery.webhook(), result.kind());
      int attempts = delivery.attempts() + 1;
      changes.put("attempts", attempts);
      changes.put("lastAttemptAt", now.toString());
      changes.put("lastStatus", result.status());
      changes.put("lastError", result.error());
      changes.put("excerpt", result.excerpt());
      Instant start = delivery.windowStart() == null ? delivery.dueAt() : delivery.windowStart();
      Optional<Instant> next = backoff.next(attempts, start, now);
      if (result.delivered()) {
        changes.put("state", Delivery.DELIVERED);
        changes.put("deliveredAt", clock.instant().toString());
        ended = Delivery.DELIVERED;
      } else if (next.isPresent()) {
        changes.put("nextAttemptAt", next.get().toString());
        ended = null;
      } else {
        changes.put("state", Delivery.FAILED);
        ended = Delivery.FAILED;
      }
    }
    deliveries.finishLater(claimed, changes).whenComplete((recorded, error) -> {
      done(delivery.id());
      if (error != null) {
        // The store did not take the outcome: the lease ends and the delivery is attempted again.
        if (running) {
          log.warn("Delivery {} not recorded, attempted again when its lease ends: {}", delivery.id(),
              error.toString());
        }
      } else if (!recorded) {
        log.info("Delivery {} was taken over by another instance after this one's lease ended", delivery.id());
      } else if (ended != null) {
        listener.ended(delivery.webhook(), ended);
      }
    });
  }

  /** One attempt's result: the status (null without an answer), its excerpt, or the error. */
  record Attempt(Integer status, String excerpt, String error, String kind) {
    boolean delivered() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private CompletableFuture<Attempt> send(Webhook webhook, Delivery delivery, String body, Instant now) {
    long timestamp = now.getEpochSecond();
    HttpRequest request;
    try {
      URI url = URI.create(webhook.url());
      HttpRequest.Builder builder = HttpRequest.newBuilder(url).timeout(settings.timeout());
      if ("http".equalsIgnoreCase(url.getScheme())) {
        // Plain HTTP/1.1: the client would otherwise offer an upgrade to cleartext HTTP/2 on every
        // new connection, which receivers hardly speak and which halved the requests per second
        // to a local receiver (docs/performance.md). HTTPS negotiates HTTP/2 as it should.
        builder.version(HttpClient.Version.HTTP_1_1);
      }
      request = builder
          .header("content-type", "application/json")
          .header("user-agent", "Relais-Webhooks/1")
          .header("webhook-id", delivery.actionId())
          .header("webhook-timestamp", Long.toString(timestamp))
          .header("webhook-signature", Signatures.header(webhooks.signingSecrets(webhook, now),
              delivery.actionId(), timestamp, body))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(new Attempt(null, null, "invalid url: " + e.getMessage(), "error"));
    }
    // One deadline for the whole attempt: the answer's status within the request's time-out, and
    // its first bytes by the same time (a receiver trickling its body is cut off there).
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    return http.sendAsync(request, info -> {
      FirstBytes first = new FirstBytes(EXCERPT_BYTES);
      long left = Math.max(0, deadline - System.nanoTime());
      var cut = deadlines.schedule(first::cut, left, TimeUnit.NANOSECONDS);
      first.getBody().whenComplete((bytes, error) -> cut.cancel(false));
      return first;
    }).handle((response, error) -> {
      if (error == null) {
        int status = response.statusCode();
        return new Attempt(status, Excerpts.of(response.body()), null, (status / 100) + "xx");
      }
      return failed(error);
    });
  }

  private Attempt failed(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpConnectTimeoutException || cause instanceof HttpTimeoutException
        || cause instanceof TimeoutException) {
      return new Attempt(null, null, "no answer within " + settings.timeout().toSeconds() + " s", "timeout");
    }
    if (cause instanceof ConnectException) {
      return new Attempt(null, null, "connection refused", "refused");
    }
    return new Attempt(null, null, Excerpts.of(String.valueOf(cause).getBytes(StandardCharsets.UTF_8)), "error");
  }

  /**
   * An answer's body as far as its first {@code max} bytes: reading stops there, or when cut off
   * at the attempt's deadline, with what was read by then; nothing more is ever buffered.
   */
  static final class FirstBytes implements HttpResponse.BodySubscriber<byte[]> {

    private final int max;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    FirstBytes(int max) {
      this.max = max;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      boolean cut;
      synchronized (this) {
        subscription = s;
        cut = body.isDone();
      }
      if (cut) {
        s.cancel();
      } else {
        s.request(1);
      }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      boolean more;
      synchronized (this) {
        for (ByteBuffer item : items) {
          int n = Math.min(item.remaining(), max - kept.size());
          byte[] chunk = new byte[n];
          item.get(chunk);
          kept.write(chunk, 0, n);
        }
        more = kept.size() < max && !body.isDone();
      }
      if (more) {
        subscription.request(1);
      } else {
        cut();
      }
    }

    @Override
    public void onError(Throwable error) {
      finish();
    }

    @Override
    public void onComplete() {
      finish();
    }

    /** Stops reading: the body is what was read so far. */
    void cut() {
      Flow.Subscription s;
      synchronized (this) {
        s = subscription;
      }
      finish();
      if (s != null) {
        s.cancel();
      }
    }

    private synchronized void finish() {
      body.complete(kept.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }
  }
}
