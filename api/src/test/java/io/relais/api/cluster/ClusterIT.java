package io.relais.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Relais as it runs in production: a three-node Elasticsearch cluster (three processes from
 * the build's zip on loopback ports), two Relais processes on it ({@code urls} listing the three
 * nodes, {@code replicas} 1), and a load of events with unique ids split between them. Mid-load
 * the first listed node and one Relais process are killed with {@code kill -9}. Then: no answer
 * was a 500; every 503 carried {@code Retry-After}; every event answered 2xx is stored and
 * applied exactly once; the clients' retries of the others (same ids, to the surviving
 * instance) converge to the exact tag counts. Then the second node is killed too: the cluster
 * has lost its quorum, every event posted is refused with 503 and {@code Retry-After}, and once
 * the node is started again the retries are acknowledged, each event applied once. Last, the
 * surviving instance gets {@code SIGTERM} mid-load. The times to recover are printed.
 *
 * Part of {@code mvn verify}; alone with {@code -Dit.test=ClusterIT}; the property
 * {@code relais.its.excluded} leaves it out (README, "Continuous integration").
 */
class ClusterIT {

  private static final int CONTACTS = 40;
  private static final int EVENTS_PER_CONTACT = 10;
  private static final int TOTAL = CONTACTS * EVENTS_PER_CONTACT;
  // The events posted while the cluster has no quorum, by as many clients.
  private static final int QUORUM_CONTACTS = 5;
  private static final int QUORUM_EVENTS_PER_CONTACT = 4;
  private static final int QUORUM_CLIENTS = 4;
  private static final String PREFIX = "it-cluster";
  private static final String KEY = "k-cluster";
  private static final Duration START_DEADLINE = Duration.ofMinutes(5);
  private static final Path SCRIPT = Path.of("..", "scripts", "elasticsearch").toAbsolutePath().normalize();
  private static final Path WORK = Path.of("target", "cluster-it").toAbsolutePath();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final List<String> NODES = List.of("cluster-it-1", "cluster-it-2", "cluster-it-3");
  private static final List<URI> NODE_URLS = new ArrayList<>();
  private static final List<Process> INSTANCES = new ArrayList<>();
  private static final List<URI> INSTANCE_URLS = new ArrayList<>();
  // Each node's ports and the seed list, kept so that a stopped node starts again as it was.
  private static final int[] HTTP_PORTS = new int[3];
  private static final int[] TRANSPORT_PORTS = new int[3];
  private static String seeds;

  @BeforeAll
  static void startClusterAndInstances() throws Exception {
    Files.createDirectories(WORK.resolve("rules/cluster"));
    Files.writeString(WORK.resolve("rules/cluster/visits.rules"),
        "segment \"Visit\"\nwhen event is page_visit\nthen tag \"VISITED\"\nend\n");
    for (int i = 0; i < 3; i++) {
      HTTP_PORTS[i] = freePort();
      TRANSPORT_PORTS[i] = freePort();
    }
    seeds = String.join(",", List.of("127.0.0.1:" + TRANSPORT_PORTS[0], "127.0.0.1:" + TRANSPORT_PORTS[1],
        "127.0.0.1:" + TRANSPORT_PORTS[2]));
    List<Process> starts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      NODE_URLS.add(URI.create("http://127.0.0.1:" + HTTP_PORTS[i]));
      starts.add(startNode(i, true));
    }
    for (Process start : starts) {
      assertThat(start.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(start.exitValue()).isZero();
    }
    awaitTrue("the three nodes form a cluster", START_DEADLINE, () -> clusterHealth("green", 3));
    String urls = NODE_URLS.stream().map(URI::toString).reduce((a, b) -> a + "," + b).orElseThrow();
    for (int i = 0; i < 2; i++) {
      startInstance(i, urls);
    }
    for (URI instance : INSTANCE_URLS) {
      awaitTrue("Relais at " + instance + " is ready", START_DEADLINE,
          () -> status(get(instance, "/actuator/health/readiness")) == 200);
    }
    // Every index with its replica assigned before anything is killed.
    awaitTrue("the indices' replicas are assigned", START_DEADLINE, () -> clusterHealth("green", 3));
  }

  /**
   * Starts node {@code i} on its ports; {@code ephemeral} the first time (an empty data folder,
   * deleted when it stops), not when it starts again: then it keeps its data, as a restarted
   * production node does.
   */
  private static Process startNode(int i, boolean ephemeral) throws IOException {
    List<String> command = new ArrayList<>(List.of(SCRIPT.toString(), "start", "--name", NODES.get(i),
        "--port", "" + HTTP_PORTS[i], "--heap", "384m", "--cluster", "cluster-it",
        "--transport-port", "" + TRANSPORT_PORTS[i], "--seed-hosts", seeds, "--masters", String.join(",", NODES),
        "--no-wait", "--watch-pid", "" + ProcessHandle.current().pid()));
    if (ephemeral) {
      command.add("--ephemeral");
    }
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(WORK.resolve("start-" + NODES.get(i) + ".log").toFile()))
        .start();
  }

  private static void startInstance(int i, String urls) throws IOException {
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.relais.api.RelaisApplication",
        "--server.port=" + port,
        "--relais.store.urls=" + urls,
        "--relais.store.replicas=1",
        "--relais.store.index-prefix=" + PREFIX,
        "--relais.store.connect-timeout=500ms",
        "--relais.rules-dir=" + WORK.resolve("rules"),
        "--relais.events.ruleset=cluster",
        "--relais.events.recovery-interval=2s",
        // Above urls × response-timeout + 1 s: a read can try each node in turn, and a write ends
        // within one response-timeout (docs/operations.md).
        "--relais.events.recovery-lag=12s",
        "--relais.security.api-keys[0].key=" + KEY,
        "--relais.security.api-keys[0].roles=decide,admin"));
    INSTANCES.add(new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(WORK.resolve("relais-" + i + ".log").toFile()).start());
    INSTANCE_URLS.add(URI.create("http://127.0.0.1:" + port));
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (Process instance : INSTANCES) {
      instance.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    for (String node : NODES) {
      new ProcessBuilder(SCRIPT.toString(), "stop", "--name", node).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    }
  }

  /**
   * One answer the clients got, from the instance at {@code from}: its status (0: none), whether
   * it had {@code Retry-After}, whether its body was problem details, when it came and how long
   * it took (nanoseconds).
   */
  private record Answer(URI from, int status, boolean retryAfter, boolean problem, long at, long took) {}

  @Test
  void losingANodeAndAnInstanceMidLoadLosesNoAcknowledgedEventAndAppliesNoneTwice() throws Exception {
    List<String> events = new ArrayList<>();
    for (int k = 0; k < EVENTS_PER_CONTACT; k++) {
      for (int c = 0; c < CONTACTS; c++) {
        events.add("c-" + c + "/e-" + c + "-" + k);
      }
    }
    Collections.shuffle(events, new Random(23));
    Queue<String> work = new ConcurrentLinkedQueue<>(events);
    Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
    List<Answer> answers = new CopyOnWriteArrayList<>();
    AtomicInteger acked = new AtomicInteger();
    AtomicLong killedAt = new AtomicLong();

    ExecutorService clients = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      clients.submit(() -> {
        for (String event = work.poll(); event != null; event = work.poll()) {
          // Events of one contact go to both instances: they meet on the same documents.
          URI instance = INSTANCE_URLS.get(Math.floorMod(event.hashCode(), 2));
          Answer answer = post(instance, event);
          answers.add(answer);
          if (answer.status() / 100 == 2) {
            acknowledged.put(event, true);
            acked.incrementAndGet();
          }
        }
      });
    }
    awaitTrue("a third of the load acknowledged", START_DEADLINE,
        () -> acked.get() >= TOTAL / 3 || work.isEmpty());
    assertThat(work).as("the load outlasts the kill").isNotEmpty();
    killNode(NODES.get(0));
    INSTANCES.get(0).destroyForcibly(); // SIGKILL
    killedAt.set(System.nanoTime());
    clients.shutdown();
    assertThat(clients.awaitTermination(10, TimeUnit.MINUTES)).isTrue();

    // The clients retry what was not acknowledged, same ids, on the surviving instance.
    URI survivor = INSTANCE_URLS.get(1);
    List<String> unacknowledged = events.stream().filter(e -> !acknowledged.containsKey(e)).toList();
    int acknowledgedBeforeRetries = acknowledged.size();
    for (String event : unacknowledged) {
      awaitTrue("the retry of " + event + " is acknowledged", Duration.ofMinutes(3), () -> {
        Answer answer = post(survivor, event);
        answers.add(answer);
        return answer.status() / 100 == 2;
      });
    }

    // Recovered: the survivor's last answer other than 2xx after the kill (none: at once).
    List<Answer> survivorAfterKill = answers.stream()
        .filter(a -> a.from().equals(survivor) && a.at() > killedAt.get()).toList();
    long lastRefusal = survivorAfterKill.stream().filter(a -> a.status() / 100 != 2)
        .mapToLong(Answer::at).max().orElse(killedAt.get());
    System.out.printf("ClusterIT: %d events, %d acknowledged before the retries, %d retried;"
            + " the survivor's answers after the kill: %d, of which 503: %d, no answer: %d; time to recover: %d ms%n",
        TOTAL, acknowledgedBeforeRetries, unacknowledged.size(), survivorAfterKill.size(),
        survivorAfterKill.stream().filter(a -> a.status() == 503).count(),
        survivorAfterKill.stream().filter(a -> a.status() == 0).count(),
        TimeUnit.NANOSECONDS.toMillis(lastRefusal - killedAt.get()));

    assertThat(answers).noneMatch(a -> a.status() >= 500 && a.status() != 503);
    assertThat(answers).filteredOn(a -> a.status() == 503).allMatch(Answer::retryAfter);
    assertThat(answers).noneMatch(a -> a.status() / 100 == 4);
    assertEachAppliedAndListedOnce(survivor, "c-", "e-", CONTACTS, EVENTS_PER_CONTACT);
    // Every event's document, written once (the killed instance's from the outboxes).
    URI live = NODE_URLS.get(1);
    awaitTrue("every event's document is stored", Duration.ofMinutes(3), () -> eventDocuments(live) == TOTAL);
    assertThat(JSON.readTree(get(live, "/" + PREFIX + "-contacts/_settings").body())
        .findValue("number_of_replicas").asText()).isEqualTo("1");

    int storedThroughTheOutage = losingTheQuorumAnswers503UntilTheClusterRecovers(survivor, live);

    // Then the survivor gets SIGTERM mid-load: requests in flight finish, and the documents of
    // the events it acknowledged are written before it exits (with no instance left, nothing
    // else would write them from the outboxes).
    Queue<String> more = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < TOTAL; i++) {
      more.add("g-" + (i % CONTACTS) + "/g-" + i);
    }
    AtomicInteger ackedBeforeExit = new AtomicInteger();
    List<Answer> stopping = new CopyOnWriteArrayList<>();
    ExecutorService late = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      late.submit(() -> {
        for (String event = more.poll(); event != null; event = more.poll()) {
          Answer answer = post(survivor, event);
          stopping.add(answer);
          if (answer.status() / 100 == 2) {
            ackedBeforeExit.incrementAndGet();
          } else if (answer.status() == 0) {
            return; // the instance stopped listening
          }
        }
      });
    }
    awaitTrue("some events acknowledged", START_DEADLINE, () -> ackedBeforeExit.get() >= 40 || more.isEmpty());
    INSTANCES.get(1).destroy(); // SIGTERM
    assertThat(INSTANCES.get(1).waitFor(2, TimeUnit.MINUTES)).isTrue();
    late.shutdown();
    assertThat(late.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
    System.out.printf("ClusterIT: SIGTERM mid-load: %d acknowledged, %d refused, exit %d%n", ackedBeforeExit.get(),
        stopping.stream().filter(a -> a.status() / 100 != 2).count(), INSTANCES.get(1).exitValue());
    assertThat(stopping).noneMatch(a -> a.status() >= 500 && a.status() != 503);
    assertThat(stopping).filteredOn(a -> a.status() == 503).allMatch(Answer::retryAfter);
    assertThat(eventDocuments(live)).isEqualTo(TOTAL + storedThroughTheOutage + ackedBeforeExit.get());
  }

  /**
   * The cluster loses its quorum: the first node is down already, the second is killed now, and
   * the third, alone, has no master and accepts no write. Every event posted then (unique ids,
   * new contacts) is answered 503 with {@code Retry-After} and problem details, never 500; the
   * instance stays ready (a store outage is every instance's) while its health says DOWN. The
   * second node starts again (same data folder, same ports): the clients' retries of those
   * events (same ids) are acknowledged once the cluster has a master again, and each is stored
   * and applied once. Prints the time to recover; answers the number of events stored.
   */
  private static int losingTheQuorumAnswers503UntilTheClusterRecovers(URI survivor, URI live) throws Exception {
    URI lone = NODE_URLS.get(2);
    killNode(NODES.get(1));
    long lostAt = System.nanoTime();
    awaitTrue("the last node has no master", Duration.ofMinutes(1), () -> !hasMaster(lone));
    long noMasterAt = System.nanoTime();
    awaitTrue("the survivor's health says DOWN", Duration.ofMinutes(1),
        () -> status(get(survivor, "/actuator/health")) == 503);
    assertThat(status(get(survivor, "/actuator/health/readiness"))).as("readiness through the outage").isEqualTo(200);

    List<List<String>> shares = new ArrayList<>();
    for (int t = 0; t < QUORUM_CLIENTS; t++) {
      shares.add(new ArrayList<>());
    }
    for (int k = 0; k < QUORUM_EVENTS_PER_CONTACT; k++) {
      for (int c = 0; c < QUORUM_CONTACTS; c++) {
        shares.get((k * QUORUM_CONTACTS + c) % QUORUM_CLIENTS).add("q-" + c + "/q-" + c + "-" + k);
      }
    }
    List<Answer> outage = new CopyOnWriteArrayList<>();
    inParallel(shares, event -> outage.add(post(survivor, event)));
    assertThat(hasMaster(lone)).as("still no master once every event was answered").isFalse();
    System.out.printf("ClusterIT: quorum lost: no master %d ms after the kill; %d events posted: %s; slowest"
            + " answer %d ms; load average %s%n", TimeUnit.NANOSECONDS.toMillis(noMasterAt - lostAt), outage.size(),
        statuses(outage), TimeUnit.NANOSECONDS.toMillis(outage.stream().mapToLong(Answer::took).max().orElse(0)),
        loadAverage());
    assertThat(outage).hasSize(QUORUM_CONTACTS * QUORUM_EVENTS_PER_CONTACT)
        .allMatch(ClusterIT::refusedForNow, "503 with Retry-After and problem details");

    long restartAt = System.nanoTime();
    Process restart = startNode(1, false);
    AtomicLong masterAt = new AtomicLong();
    ExecutorService watch = Executors.newSingleThreadExecutor();
    watch.submit(() -> {
      awaitTrue("the cluster has a master again", START_DEADLINE, () -> hasMaster(lone));
      masterAt.set(System.nanoTime());
    });
    List<Answer> retries = new CopyOnWriteArrayList<>();
    inParallel(shares, event -> awaitTrue("the retry of " + event + " is acknowledged", START_DEADLINE, () -> {
      Answer answer = post(survivor, event);
      retries.add(answer);
      return answer.status() / 100 == 2;
    }));
    watch.shutdown();
    assertThat(watch.awaitTermination(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(restart.waitFor(START_DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(restart.exitValue()).isZero();
    long firstAck = retries.stream().filter(a -> a.status() / 100 == 2).mapToLong(Answer::at).min().orElseThrow();
    System.out.printf("ClusterIT: quorum back: the restarted node gave the cluster a master %d ms after its start;"
            + " the survivor's first 2xx %d ms later (time to recover: %d ms); retries: %s; load average %s%n",
        TimeUnit.NANOSECONDS.toMillis(masterAt.get() - restartAt), TimeUnit.NANOSECONDS.toMillis(firstAck - masterAt.get()),
        TimeUnit.NANOSECONDS.toMillis(firstAck - restartAt), statuses(retries), loadAverage());
    assertThat(retries).filteredOn(a -> a.status() / 100 != 2)
        .allMatch(ClusterIT::refusedForNow, "503 with Retry-After and problem details");

    assertEachAppliedAndListedOnce(survivor, "q-", "q-", QUORUM_CONTACTS, QUORUM_EVENTS_PER_CONTACT);
    int stored = QUORUM_CONTACTS * QUORUM_EVENTS_PER_CONTACT;
    awaitTrue("every event's document is stored", Duration.ofMinutes(3), () -> eventDocuments(live) == TOTAL + stored);
    System.out.printf("ClusterIT: the lost quorum took %d ms of this test%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAt));
    return stored;
  }

  /**
   * Contacts {@code <contactPrefix>0...} each have their tag counted once per event and list
   * their events ({@code <eventPrefix><contact>-0...}) each once: every event applied and
   * stored exactly once.
   */
  private static void assertEachAppliedAndListedOnce(URI instance, String contactPrefix, String eventPrefix,
      int contacts, int eventsPerContact) throws IOException {
    for (int c = 0; c < contacts; c++) {
      String id = contactPrefix + c;
      JsonNode contact = JSON.readTree(get(instance, "/api/v1/contacts/" + id).body());
      assertThat(contact.path("tags").path("VISITED").asInt()).as(id).isEqualTo(eventsPerContact);
      List<String> expected = new ArrayList<>();
      for (int k = 0; k < eventsPerContact; k++) {
        expected.add(eventPrefix + c + "-" + k);
      }
      // Listed at once too: an outbox entry leaves only once an acknowledged write that waited
      // for the refresh of every copy wrote its document (docs/store.md, "Adopted entries").
      assertThat(listed(instance, id)).as(id).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  private static List<String> listed(URI instance, String contactId) {
    try {
      List<String> listed = new ArrayList<>();
      JSON.readTree(get(instance, "/api/v1/contacts/" + contactId + "/events").body())
          .forEach(e -> listed.add(e.path("id").asText()));
      return listed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Each share's events handed to {@code action} in order, the shares at once, one thread each.
  private static void inParallel(List<List<String>> shares, Consumer<String> action)
      throws InterruptedException {
    ExecutorService clients = Executors.newFixedThreadPool(shares.size());
    List<Future<?>> done = new ArrayList<>();
    for (List<String> share : shares) {
      done.add(clients.submit(() -> share.forEach(action)));
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
    for (Future<?> each : done) {
      try {
        each.get();
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      }
    }
  }

  // What a client may be told while the store cannot take a write: try again later.
  private static boolean refusedForNow(Answer answer) {
    return answer.status() == 503 && answer.retryAfter() && answer.problem();
  }

  // How many answers of each status, e.g. {503=20}.
  private static Map<Integer, Long> statuses(List<Answer> answers) {
    return answers.stream().collect(Collectors.groupingBy(Answer::status, TreeMap::new,
        Collectors.counting()));
  }

  // The machine's load averages (1, 5, 15 min), printed with the times: they are the load's as much as ours.
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  // Whether the node knows of an elected master: cluster health needs one (503 after master_timeout).
  private static boolean hasMaster(URI node) {
    return status(get(node, "/_cluster/health?master_timeout=1s")) == 200;
  }

  private static Answer post(URI instance, String event) {
    String contact = event.substring(0, event.indexOf('/'));
    String id = event.substring(event.indexOf('/') + 1);
    HttpRequest request = HttpRequest.newBuilder(instance.resolve("/api/v1/contacts/" + contact + "/events"))
        .timeout(Duration.ofSeconds(30)).header("X-API-Key", KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"" + id + "\", \"type\": \"page_visit\","
            + " \"at\": \"2026-12-01T10:00:00Z\"}")).build();
    long sent = System.nanoTime();
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      long at = System.nanoTime();
      return new Answer(instance, response.statusCode(), response.headers().firstValue("Retry-After").isPresent(),
          response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
          at, at - sent);
    } catch (IOException e) {
      long at = System.nanoTime();
      return new Answer(instance, 0, false, false, at, at - sent); // no answer: the instance is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      long at = System.nanoTime();
      return new Answer(instance, 0, false, false, at, at - sent);
    }
  }

  private static long eventDocuments(URI node) {
    HttpResponse<String> refreshed = get(node, "/" + PREFIX + "-events/_refresh");
    HttpResponse<String> count = get(node, "/" + PREFIX + "-events/_count");
    if (refreshed == null || count == null || count.statusCode() != 200) {
      return -1;
    }
    try {
      return JSON.readTree(count.body()).path("count").asLong();
    } catch (IOException e) {
      return -1;
    }
  }

  private static void killNode(String name) throws Exception {
    Process status = new ProcessBuilder(SCRIPT.toString(), "status", "--name", name).redirectErrorStream(true).start();
    String text = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    status.waitFor();
    Matcher pid = Pattern.compile("\\(pid (\\d+)\\)").matcher(text);
    assertThat(pid.find()).as(text).isTrue();
    ProcessHandle node = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
    assertThat(node.destroyForcibly()).isTrue(); // SIGKILL
  }

  private static boolean clusterHealth(String status, int nodes) {
    for (URI node : NODE_URLS) {
      HttpResponse<String> health = get(node, "/_cluster/health?wait_for_status=" + status
          + "&wait_for_nodes=" + nodes + "&timeout=2s");
      if (health != null && health.statusCode() == 200) {
        return true;
      }
    }
    return false;
  }

  private static HttpResponse<String> get(URI base, String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
          .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static int status(HttpResponse<String> response) {
    return response == null ? 0 : response.statusCode();
  }

  private static void awaitTrue(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + deadline + ": " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
