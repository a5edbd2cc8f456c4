package io.relais.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.relais.engine.actions.Actions;
import io.relais.engine.actions.Deliveries;
import io.relais.engine.actions.DeliveryListener;
import io.relais.engine.actions.DeliverySettings;
import io.relais.engine.actions.DeliveryWorker;
import io.relais.engine.actions.SecretBox;
import io.relais.engine.actions.Webhooks;
import io.relais.engine.store.DecisionJson;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.store.StoreCalls;
import io.relais.engine.store.StoreIndices;
import io.relais.engine.store.StoreSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Webhook deliveries to a local receiver ({@code bench/webhooks}): actions are created as the
 * service creates them (an event log writer's create operations, in bulks), and this process's
 * deliverer (the service's {@link DeliveryWorker}) sends them to a JDK HTTP
 * server on this machine that answers 204 at once. Two phases on a fresh index prefix:
 *
 * <ol>
 *   <li><b>throughput</b>: {@code --backlog} deliveries (20,000) created first, then the time the
 *       deliverer takes to deliver them all: deliveries/s;
 *   <li><b>delay at a rate</b>: deliveries created at {@code --rate} per second (500) for {@code
 *       --seconds} (30), in bulks every 100 ms, open loop; the delay of each is from its due time
 *       (its bulk's scheduled time) to its arrival at the receiver: p50, p99, max.
 * </ol>
 *
 * <p>Arguments: {@code --es} (http://127.0.0.1:9200), {@code --backlog}, {@code --rate}, {@code --seconds},
 * {@code --concurrency}, {@code --per-webhook}, {@code --batch} (the deliverer's settings, its defaults
 * when left out; {@code --handoff 0} has every delivery found by a search), {@code --node-pid} (the node's process: its CPU per delivery is printed with this
 * process's, by thread group: deliverer, receiver, store client, creation).
 */
public final class WebhookBenchmark {

  private WebhookBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    URI es = URI.create(options.getOrDefault("es", "http://127.0.0.1:9200"));
    int backlog = Integer.parseInt(options.getOrDefault("backlog", "20000"));
    int rate = Integer.parseInt(options.getOrDefault("rate", "500"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
    DeliverySettings defaults = DeliverySettings.defaults();
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "" + defaults.concurrency()));
    int perWebhook = Integer.parseInt(options.getOrDefault("per-webhook", "" + defaults.perWebhook()));
    int batch = Integer.parseInt(options.getOrDefault("batch", "" + defaults.batch()));
    int handoff = Integer.parseInt(options.getOrDefault("handoff", "" + defaults.handoff()));
    CpuShares cpu = new CpuShares(List.of(
        new CpuShares.Group("deliverer", List.of("relais-webhook", "HttpClient-")),
        new CpuShares.Group("receiver", List.of("receiver", "HTTP-Dispatcher")),
        new CpuShares.Group("store client", List.of("httpclient-", "I/O dispatcher", "Rest5", "elasticsearch-")),
        new CpuShares.Group("creation", List.of("main", "relais-group-commit"))),
        Long.parseLong(options.getOrDefault("node-pid", "0")));

    Map<String, Long> arrived = new ConcurrentHashMap<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    AtomicInteger receiverThreads = new AtomicInteger();
    receiver.setExecutor(Executors.newFixedThreadPool(16,
        r -> new Thread(r, "receiver-" + receiverThreads.incrementAndGet())));
    receiver.createContext("/in", exchange -> {
      exchange.getRequestBody().readAllBytes();
      arrived.putIfAbsent(exchange.getRequestHeaders().getFirst("webhook-id"), System.nanoTime());
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();

    String prefix = "bench-webhooks-" + Long.toHexString(System.nanoTime());
    StoreSettings settings = new StoreSettings(es, prefix, Duration.ofSeconds(5), Duration.ofMinutes(1));
    try (ElasticsearchStore store = ElasticsearchStore.connect(settings)) {
      StoreCalls calls = StoreCalls.uncounted();
      StoreIndices indices = new StoreIndices(store, calls);
      indices.ensureAll();
      Clock clock = Clock.systemUTC();
      Webhooks webhooks = new Webhooks(store, calls, SecretBox.of(null), clock);
      Deliveries deliveries = new Deliveries(store, calls);
      Actions actions = new Actions(store, webhooks, deliveries, new ObjectMapper());
      EventLog events = new EventLog(store, indices, calls);
      events.actions(actions);
      webhooks.put("bench", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in", null, null);
      AtomicInteger delivered = new AtomicInteger();
      DeliveryWorker worker = new DeliveryWorker(deliveries, webhooks, clock, new DeliverySettings(concurrency,
          perWebhook, batch, defaults.timeout(), defaults.lease(), defaults.poll(), defaults.window(), defaults.refresh(), handoff),
          new DeliveryListener() {
            @Override
            public void attempted(String webhook, String result) {}

            @Override
            public void ended(String webhook, String outcome) {
              delivered.incrementAndGet();
            }
          });

      // Deliveries created while it runs are handed to it, as in the service (--handoff 0: found by searches).
      actions.handTo(worker);

      // Phase 1: a backlog, then as fast as it goes.
      for (int from = 0; from < backlog; from += 1000) {
        create(events, clock, "b", from, Math.min(backlog, from + 1000));
      }
      store.client().indices().refresh(r -> r.index(deliveries.index()));
      System.out.printf("deliverer: concurrency %d, per webhook %d, batch %d; %s%n", concurrency, perWebhook, batch,
          uptime());
      long start = System.nanoTime();
      cpu.start();
      worker.start();
      while (delivered.get() < backlog) {
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
      double took = (System.nanoTime() - start) / 1e9;
      System.out.printf("backlog: %,d deliveries in %.1f s: %,.0f deliveries/s%n", backlog, took, backlog / took);
      System.out.println("  " + cpu.perOperation(backlog));

      // Phase 2: an offered rate, open loop: each tick's actions are due at the tick's scheduled
      // time, whenever their creation could start; the delay is from then to the arrival.
      Map<String, Long> created = new ConcurrentHashMap<>();
      int total = rate * seconds;
      int perTick = Math.max(1, rate / 10);
      System.out.println(uptime());
      cpu.start();
      long first = System.nanoTime();
      long tick = first;
      for (int from = 0; from < total; from += perTick) {
        long dueAt = tick;
        List<String> ids = create(events, clock, "r", from, Math.min(total, from + perTick));
        ids.forEach(id -> created.put(id, dueAt));
        tick += Duration.ofMillis(100).toNanos();
        LockSupport.parkNanos(Math.max(0, tick - System.nanoTime()));
      }
      System.out.printf("offered %,d in %.1f s%n", total, (System.nanoTime() - first) / 1e9);
      long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
      // Every backlog delivery arrived before this phase: the rest are this phase's (a count; comparing
      // every id every 10 ms cost this process CPU of its own, counted with the creation's).
      while (arrived.size() < backlog + created.size() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
      }
      long[] delays = created.entrySet().stream().filter(e -> arrived.containsKey(e.getKey()))
          .mapToLong(e -> arrived.get(e.getKey()) - e.getValue()).sorted().toArray();
      System.out.printf("at %d/s for %d s: %,d of %,d arrived; delay p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", rate,
          seconds, delays.length, created.size(), percentile(delays, 0.50), percentile(delays, 0.99),
          delays.length == 0 ? 0.0 : delays[delays.length - 1] / 1e6);
      System.out.println("  " + cpu.perOperation(delays.length) + "; " + uptime());
      worker.close();
      deliveries.close();
      store.client().indices().delete(d -> d.index(indices.contacts(), indices.events(), indices.recovery(),
          actions.index(), deliveries.index(), webhooks.index()).ignoreUnavailable(true));
    } finally {
      receiver.stop(0);
      ((java.util.concurrent.ExecutorService) receiver.getExecutor()).shutdownNow();
    }
  }

  // One ALERT per event, created as an event log writer creates them: returns the action ids.
  private static List<String> create(EventLog events, Clock clock, String run, int from, int to) {
    Map<String, List<PendingEvent>> applied = new LinkedHashMap<>();
    List<String> ids = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = from; i < to; i++) {
      String contact = "c-" + run + i;
      Map<String, Object> alert = Map.of("type", "ALERT", "to", "sales@acme.fr", "channel", "email",
          "message", contact + " is back", "rule", "Hot lead", "source", "alerts.rules:2");
      applied.put(contact, List.of(new PendingEvent("e-1", "page_visit", now, Map.of(), "bench", 1, now,
          DecisionJson.of(Map.of("decisions", List.of(alert))))));
      ids.add(Actions.id(contact, "e-1", 0));
    }
    events.createActions(applied);
    return ids;
  }

  private static String uptime() {
    try {
      return "load average " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "load average unknown";
    }
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
