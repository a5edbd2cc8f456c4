package io.relais.bench;

import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * Load on a running service ({@code bench/load}): stores contacts over REST in bulk, posts
 * events concurrently over REST and prints events/s with p50/p99 latency, next to the raw
 * Elasticsearch bulk rate measured in the same run on the same node.
 *
 * <p>Arguments ({@code --name value}): {@code url} (service, default http://127.0.0.1:8080),
 * {@code es} (its Elasticsearch, default http://127.0.0.1:9200), {@code key} (default
 * demo-decide), {@code contacts} (100000), {@code events} (5000), {@code threads} (16),
 * {@code ruleset} (acme-auto), {@code warmup} (events posted first and not measured; default
 * 150,000: a fresh service and a fresh node compile their hot code for a long time; after 5,000
 * events the JIT compiler threads were still 30 % of either process's CPU, after 60,000 a
 * quarter of the node's, after 150,000 under a tenth: docs/performance.md), {@code rate} (events offered per second, at a steady
 * pace; default 0: as fast as the client threads get answers), {@code setup} (false: skip the
 * yardstick and the contacts, already stored by a run before on the same service and node),
 * {@code latencies} (a file to write each measured event's due time and latency to),
 * {@code rate-warmup} (seconds of the offered rate posted, not measured, before the measured
 * ones when {@code rate} is set; default 10: the same client's connections and code are then
 * those of a caller that has been running, so the first measured seconds are not its start). {@code --table} (no value) prints only {@code figure|value|unit|how}
 * rows on standard output, as {@code ScaleBenchmark} does, for {@code bench/suite}'s table; the
 * progress lines then go to standard error.
 */
public final class LoadDriver {

  private LoadDriver() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    URI url = URI.create(options.getOrDefault("url", "http://127.0.0.1:8080"));
    URI es = URI.create(options.getOrDefault("es", "http://127.0.0.1:9200"));
    String key = options.getOrDefault("key", "demo-decide");
    int contacts = Integer.parseInt(options.getOrDefault("contacts", "100000"));
    int events = Integer.parseInt(options.getOrDefault("events", "5000"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
    String ruleset = options.getOrDefault("ruleset", "acme-auto");
    double rate = Double.parseDouble(options.getOrDefault("rate", "0"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "150000"));
    double rateWarmup = Double.parseDouble(options.getOrDefault("rate-warmup", "10"));
    boolean table = options.containsKey("table");
    // A second run on the same service and node can skip the yardstick and the contacts.
    boolean setUp = Boolean.parseBoolean(options.getOrDefault("setup", "true"));
    String latencyFile = options.get("latencies");
    java.io.PrintStream log = table ? System.err : System.out;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    // The yardstick warmed up like the service: one unmeasured pass first, so the node's and
    // the client's hot code is compiled before the measured one.
    double raw = Double.NaN;
    double contactRate = Double.NaN;
    if (setUp) {
      rawBulkRate(es, Math.min(contacts, 50_000));
      raw = rawBulkRate(es, contacts);
      log.printf(Locale.ROOT, "raw Elasticsearch bulk: %,d docs at %,.0f docs/s%n", contacts, raw);
      contactRate = loadContacts(http, url, key, contacts);
      log.printf(Locale.ROOT, "contacts over REST (_bulk NDJSON): %,d at %,.0f contacts/s%n", contacts, contactRate);
    }


    // Warm-up first, not measured: a fresh service compiles its hot paths (Drools, JSON, the
    // web stack) during its first thousands of events, which is not its steady speed.
    String run = Long.toString(System.currentTimeMillis(), 36);
    Phase measured;
    // One client for every phase, its connections kept alive from one to the next, as a
    // long-running caller's are: a measured phase that opened its connections and compiled the
    // client's code as it went would time the driver's start, not the service.
    PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(threads).setMaxConnPerRoute(threads).build();
    try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool)
        .disableAutomaticRetries().build()) {
      if (warmup > 0) {
        Phase warm = post(client, url, key, ruleset, contacts, warmup, threads, 0, "load-" + run + "-warmup-");
        log.printf(Locale.ROOT, "warm-up (not measured): %,d events at %,.0f events/s, %d failed%n",
            warmup, warmup / warm.seconds(), warm.failures());
      }
      if (rate > 0 && rateWarmup > 0) {
        // The offered rate itself, unmeasured: the pool then holds the connections that rate
        // needs and the service's threads are those it needs.
        int count = (int) Math.ceil(rate * rateWarmup);
        Phase warm = post(client, url, key, ruleset, contacts, count, threads, rate, "load-" + run + "-paced-");
        log.printf(Locale.ROOT, "paced warm-up (not measured): %,d events offered at %,.0f/s, %d failed%n",
            count, rate, warm.failures());
      }
      measured = post(client, url, key, ruleset, contacts, events, threads, rate, "load-" + run + "-");
    }
    if (latencyFile != null) {
      writeLatencies(Path.of(latencyFile), measured, rate);
    }
    // Failed requests are reported apart: they count neither in events/s nor in the latencies
    // (a fast 503 would flatter both).
    long[] latencies = Arrays.stream(measured.latencies()).filter(l -> l >= 0).sorted().toArray();
    int succeeded = latencies.length;
    double eventRate = succeeded / measured.seconds();
    double p50 = succeeded == 0 ? Double.NaN : latencies[succeeded / 2] / 1e6;
    double p99 = succeeded == 0 ? Double.NaN : latencies[Math.min(succeeded - 1, (int) (succeeded * 0.99))] / 1e6;
    AtomicInteger failures = new AtomicInteger(measured.failures());
    log.printf(Locale.ROOT,
        "events over REST (%d threads%s): %,d answered 200 at %,.0f events/s, p50 %.1f ms, p99 %.1f ms;"
            + " %d failed (not counted in events/s nor latency)%n",
        threads, rate > 0 ? String.format(Locale.ROOT, ", offered %,.0f/s", rate) : "", succeeded, eventRate, p50,
        p99, failures.get());
    if (table) {
      row("raw ES bulk (service's node)", raw, "docs/s", String.format(Locale.ROOT,
          "%,d contact-like docs, bulks of 1,000, one thread, scratch index, after an unmeasured pass", contacts));
      row("contacts over REST", contactRate, "contacts/s", String.format(Locale.ROOT,
          "%,d contacts, POST /contacts/_bulk NDJSON of 1,000, one client", contacts));
      row("events over REST", eventRate, "events/s", String.format(Locale.ROOT,
          "%,d page visits answered 200, %d client threads, ruleset %s; %d failed, not counted", succeeded, threads,
          ruleset, failures.get()));
      row("events p50", p50, "ms", "latency of one POST /contacts/{id}/events, same run");
      row("events p99", p99, "ms", "same; the target: under 50 ms at 1,500 events/s");
    }
  }

  /**
   * One line per event: its index, when it was due (ms from the start; 0 in a closed loop) and
   * its latency in ms (-1 if it failed), to see whether slow answers come together (a pause of
   * the service or the node) or spread out (a queue). A first comment line gives the phase's
   * start in ms since the epoch, to line the events up with bench/stall-sampler's samples.
   */
  private static void writeLatencies(Path file, Phase phase, double rate) throws java.io.IOException {
    long[] latencies = phase.latencies();
    StringBuilder out = new StringBuilder("# start ").append(phase.startMillis()).append('\n');
    for (int i = 0; i < latencies.length; i++) {
      out.append(i).append(' ').append(rate > 0 ? String.format(Locale.ROOT, "%.1f", i * 1e3 / rate) : "0")
          .append(' ').append(latencies[i] < 0 ? "-1" : String.format(Locale.ROOT, "%.2f", latencies[i] / 1e6))
          .append('\n');
    }
    Files.writeString(file, out);
  }

  private static void row(String figure, double value, String unit, String how) {
    System.out.println(String.format(Locale.ROOT, "%s|%.1f|%s|%s", figure, value, unit, how));
  }

  // Bulk-indexes contact-like documents into a scratch index, then deletes it.
  private static double rawBulkRate(URI es, int count) throws Exception {
    try (ElasticsearchStore store = ElasticsearchStore.connect(StoreSettings.local(es))) {
      String index = "relais-loadtest-raw";
      store.client().indices().delete(d -> d.index(index).ignoreUnavailable(true));
      long start = System.nanoTime();
      for (int from = 0; from < count; from += 1_000) {
        List<BulkOperation> operations = new ArrayList<>();
        for (int i = from; i < Math.min(count, from + 1_000); i++) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("id", "raw-" + i);
          doc.put("firstName", "Contact " + i);
          doc.put("country", "FR");
          doc.put("score", i % 100);
          String id = "raw-" + i;
          operations.add(BulkOperation.of(b -> b.index(x -> x.index(index).id(id).document(doc))));
        }
        BulkResponse response = store.client().bulk(b -> b.operations(operations));
        if (response.errors()) {
          throw new IllegalStateException("raw bulk failed");
        }
      }
      double rate = count / seconds(start);
      store.client().indices().delete(d -> d.index(index).ignoreUnavailable(true));
      return rate;
    }
  }

  /** One phase of posted events: latency of each (-1: failed), failures, wall time. */
  private record Phase(long[] latencies, int failures, double seconds, long startMillis) {}

  /**
   * Posts {@code count} page visits to random stored contacts from {@code threads} client threads,
   * sharing the caller's client and its kept-alive connections. Apache HttpClient's classic blocking client costs the
   * driver a fraction of what the JDK's client did, which matters when driver, service and node
   * share two cores.
   *
   * <p>With {@code rate} 0 each thread sends its next event as soon as the previous one is
   * answered (the most the service gives to that many clients). With a rate, event {@code i} is
   * due at {@code i / rate} seconds and its latency counts from then, so time spent waiting for a
   * free client thread counts too (no coordinated omission): the latency a client sees at that
   * arrival rate.
   */
  private static Phase post(CloseableHttpClient http, URI url, String key, String ruleset, int contacts,
      int count, int threads, double rate, String idPrefix) throws Exception {
    long[] latencies = new long[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    ExecutorService workers = Executors.newFixedThreadPool(threads);
    final long start = System.nanoTime();
    final long startMillis = System.currentTimeMillis();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(workers.submit(() -> {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
          int contact = ThreadLocalRandom.current().nextInt(contacts);
          HttpPost post = new HttpPost(url.resolve("/api/v1/contacts/load-" + contact + "/events?ruleset=" + ruleset));
          post.setHeader("X-API-Key", key);
          post.setEntity(new StringEntity("{\"id\":\"" + idPrefix + i + "\",\"type\":\"page_visit\","
              + "\"attributes\":{\"url\":\"/financing/leasing/offers\"}}", ContentType.APPLICATION_JSON));
          long t0 = System.nanoTime();
          if (rate > 0) {
            long due = start + (long) (i * 1e9 / rate);
            while (System.nanoTime() < due) {
              LockSupport.parkNanos(due - System.nanoTime());
            }
            t0 = due;
          }
          try {
            int status = http.execute(post, response -> {
              EntityUtils.consume(response.getEntity());
              return response.getCode();
            });
            latencies[i] = status == 200 ? System.nanoTime() - t0 : -1;
            if (status != 200) {
              failures.incrementAndGet();
            }
          } catch (Exception e) {
            latencies[i] = -1;
            failures.incrementAndGet();
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double seconds = seconds(start);
    workers.shutdown();
    return new Phase(latencies, failures.get(), seconds, startMillis);
  }

  /** Stores {@code contacts} contacts over REST in bulks of 1,000; returns contacts/s. */
  private static double loadContacts(HttpClient http, URI url, String key, int contacts) throws Exception {
    long start = System.nanoTime();
    int batch = 1_000;
    for (int from = 0; from < contacts; from += batch) {
      StringBuilder ndjson = new StringBuilder();
      for (int i = from; i < Math.min(contacts, from + batch); i++) {
        ndjson.append("{\"id\":\"load-").append(i).append("\",\"firstName\":\"Contact ").append(i)
            .append("\",\"country\":\"FR\",\"consent\":{\"email\":true}}\n");
      }
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/contacts/_bulk"))
          .header("X-API-Key", key).header("Content-Type", "application/x-ndjson")
          .POST(HttpRequest.BodyPublishers.ofString(ndjson.toString())).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200 || !response.body().contains("\"failed\":0")) {
        throw new IllegalStateException("bulk contacts failed: " + response.statusCode() + " " + response.body());
      }
    }
    return contacts / seconds(start);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value, got " + args[i]);
      }
      if (args[i].equals("--table")) {
        options.put("table", "true");
        i--;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + args[i]);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }
}
