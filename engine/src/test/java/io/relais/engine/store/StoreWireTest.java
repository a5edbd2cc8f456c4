package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link StoreWire} against the typed client it stands in for: a fake node records what each
 * sends and gives both the same canned answers (taken from a 9.2 node), and the test requires
 * the same requests on the wire and the same items, fields and failures back.
 */
class StoreWireTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private HttpServer server;
  private final List<String> requests = new ArrayList<>();
  private volatile int status = 200;
  private volatile String answer = "{}";
  private ElasticsearchStore store;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      synchronized (requests) {
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\n"
            + new String(body, StandardCharsets.UTF_8));
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", answer.startsWith("<") ? "text/html" : "application/json");
      exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
      exchange.sendResponseHeaders(status, out.length);
      exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
    store = ElasticsearchStore.connect(new StoreSettings(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "relais", Duration.ofSeconds(5),
        Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() {
    store.close();
    server.stop(0);
  }

  private static final String BULK_ANSWER = """
      {"errors":true,"took":12,"items":[
       {"index":{"_index":"relais-contacts","_id":"c-1","_version":3,"result":"updated","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":41,"_primary_term":1,"status":200}},
       {"create":{"_index":"relais-contacts","_id":"c-2","_version":1,"result":"created","_shards":{"total":2,"successful":1,"failed":0},"_seq_no":42,"_primary_term":1,"status":201}},
       {"index":{"_index":"relais-contacts","_id":"c-3","status":409,"error":{"type":"version_conflict_engine_exception","reason":"[c-3]: version conflict, required seqNo [7], primary term [1]. current document has seqNo [9] and primary term [1]","index_uuid":"x1","shard":"0","index":"relais-contacts"}}},
       {"create":{"_index":"relais-events","_id":"e-1","status":429,"error":{"type":"es_rejected_execution_exception","reason":"rejected execution of coordinating operation"}}}
      ]}""";

  private List<BulkOperation> operations() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("id", "c-1");
    document.put("score", 12);
    document.put("points", 2.5);
    document.put("tags", List.of(Map.of("name", "FINANCING_LEASING", "count", 3)));
    document.put("at", Instant.parse("2026-11-22T10:00:00Z"));
    document.put("note", "é \" \\ \n ✓");
    document.put("nothing", null);
    return List.of(
        BulkOperation.of(b -> b.index(i -> i.index("relais-contacts").id("c-1").document(document)
            .ifSeqNo(40L).ifPrimaryTerm(1L))),
        BulkOperation.of(b -> b.create(c -> c.index("relais-contacts").id("c-2").document(Map.of("id", "c-2")))),
        BulkOperation.of(b -> b.index(i -> i.index("relais-contacts").id("c-3").document(Map.of("id", "c-3"))
            .ifSeqNo(7L).ifPrimaryTerm(1L))),
        BulkOperation.of(b -> b.create(c -> c.index("relais-events").id("e-1").routing("c-9")
            .document(Map.of("contactId", "c-9", "decision", Map.of("decisions", List.of()))))));
  }

  @Test
  void aBulkSendsWhatTheTypedClientSendsAndReadsTheSameItems() throws Exception {
    answer = BULK_ANSWER;
    List<BulkResponseItem> typed =
        store.client().bulk(b -> b.operations(operations()).refresh(Refresh.False)).items();
    List<BulkResponseItem> wire = store.wire().bulk(operations());

    assertThat(requests).hasSize(2);
    assertThat(lines(requests.get(1))).isEqualTo(lines(requests.get(0)));
    assertThat(pathAndQuery(requests.get(1))).isEqualTo(pathAndQuery(requests.get(0)));

    assertThat(wire).hasSize(4);
    assertThat(wire.stream().map(StoreWireTest::fields).toList())
        .isEqualTo(typed.stream().map(StoreWireTest::fields).toList());
    assertThat(wire.get(2).status()).isEqualTo(409);
    assertThat(wire.get(2).error().type()).isEqualTo("version_conflict_engine_exception");
    assertThat(wire.get(1).seqNo()).isEqualTo(42L);
  }

  @Test
  void aBulkCarriesTheWaitTimeoutAsTheTypedClientSendsIt() throws Exception {
    answer = BULK_ANSWER;
    StoreSettings settings = store.settings();
    try (ElasticsearchStore waiting = ElasticsearchStore.connect(new StoreSettings(settings.urls(),
        settings.indexPrefix(), settings.connectTimeout(), settings.responseTimeout(), settings.access(), null, null,
        Duration.ofMillis(1500)))) {
      waiting.client().bulk(b -> b.operations(operations()).refresh(Refresh.False).timeout(t -> t.time("1500ms")));
      waiting.wire().bulk(operations());
      waiting.wire().bulk(operations(), true);
    }

    assertThat(requests).hasSize(3);
    assertThat(pathAndQuery(requests.get(1))).isEqualTo(pathAndQuery(requests.get(0))).contains("timeout=1500ms");
    assertThat(pathAndQuery(requests.get(2))).contains("timeout=1500ms", "refresh=wait_for");
  }

  @Test
  void aWaitTimeoutMustEndBeforeTheClientStopsWaiting() {
    StoreSettings settings = store.settings();
    assertThatThrownBy(() -> new StoreSettings(settings.urls(), settings.indexPrefix(), settings.connectTimeout(),
        Duration.ofSeconds(3), settings.access(), null, null, Duration.ofSeconds(3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than the response timeout");
  }

  private static final String MGET_ANSWER = """
      {"docs":[
       {"_index":"relais-contacts","_id":"c-1","_version":3,"_seq_no":41,"_primary_term":1,"found":true,
        "_source":{"id":"c-1","score":12,"points":2.5,"big":12345678901,"tags":[{"name":"A","count":3}],
                   "outbox":[{"eventId":"e-1","decision":{"decisions":[],"warnings":[],"x":null}}],"consent":{"email":true}}},
       {"_index":"relais-events","_id":"e-2","_routing":"c-1","found":false},
       {"_index":"relais-missing","_id":"x","error":{"root_cause":[{"type":"index_not_found_exception","reason":"no such index [relais-missing]"}],"type":"index_not_found_exception","reason":"no such index [relais-missing]","index":"relais-missing"}}
      ]}""";

  @SuppressWarnings("rawtypes")
  @Test
  void aMultiGetSendsWhatTheTypedClientSendsAndReadsTheSameItems() throws Exception {
    answer = MGET_ANSWER;
    List<MultiGetOperation> documents = List.of(
        MultiGetOperation.of(d -> d.index("relais-contacts").id("c-1")),
        MultiGetOperation.of(d -> d.index("relais-events").id("e-2").routing("c-1")),
        MultiGetOperation.of(d -> d.index("relais-missing").id("x")));
    for (boolean realtime : new boolean[] {true, false}) {
      requests.clear();
      List<MultiGetResponseItem<Map>> typed = store.client().mget(m -> {
        m.docs(documents).realtime(realtime);
        return realtime ? m : m.source(src -> src.fetch(false));
      }, Map.class).docs();
      List<MultiGetResponseItem<Map>> wire = store.wire().mget(documents, realtime);

      assertThat(JSON.readTree(body(requests.get(1)))).isEqualTo(JSON.readTree(body(requests.get(0))));
      assertThat(pathAndQuery(requests.get(1))).isEqualTo(pathAndQuery(requests.get(0)));
      assertThat(wire.stream().map(StoreWireTest::fields).toList())
          .isEqualTo(typed.stream().map(StoreWireTest::fields).toList());
    }
    // The source as the typed client's mapper reads it: the same classes of numbers and maps.
    Map source = store.wire().mget(documents, true).get(0).result().source();
    assertThat(source.get("big")).isInstanceOf(Long.class);
    assertThat(source.get("points")).isEqualTo(2.5);
    Map<String, Object> decision = new LinkedHashMap<>();
    decision.put("decisions", List.of());
    decision.put("warnings", List.of());
    decision.put("x", null);
    assertThat(source.get("outbox")).isEqualTo(List.of(Map.of("eventId", "e-1", "decision", decision)));
  }

  @Test
  void aFailedRequestThrowsWhatTheTypedClientThrows() throws Exception {
    String[][] answers = {
        {"404", "{\"error\":{\"root_cause\":[],\"type\":\"index_not_found_exception\",\"reason\":\"no such index [relais-contacts]\"},\"status\":404}"},
        {"429", "{\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"rejected\"},\"status\":429}"},
        {"400", "{\"error\":{\"type\":\"action_request_validation_exception\",\"reason\":\"Validation Failed: 1: no requests added;\"},\"status\":400}"},
    };
    for (String[] given : answers) {
      status = Integer.parseInt(given[0]);
      answer = given[1];
      ElasticsearchException typed = catchEs(() -> store.client().bulk(b -> b.operations(operations())));
      ElasticsearchException wire = catchEs(() -> store.wire().bulk(operations()));
      assertThat(wire.status()).isEqualTo(typed.status()).isEqualTo(status);
      assertThat(wire.error().type()).isEqualTo(typed.error().type());
      assertThat(wire.error().reason()).isEqualTo(typed.error().reason());
      ElasticsearchException read = catchEs(() -> store.wire().mget(
          List.of(MultiGetOperation.of(d -> d.index("relais-contacts").id("c-1"))), true));
      assertThat(read.status()).isEqualTo(status);
      assertThat(read.error().type()).isEqualTo(typed.error().type());
    }
    // Not the store's answer (a proxy's page): the status still says what happened.
    status = 413;
    answer = "<html><body>Request entity too large</body></html>";
    assertThat(catchEs(() -> store.wire().bulk(operations())).status()).isEqualTo(413);
    // The statuses the low-level client itself fails (5xx) fail as a transport failure under both.
    status = 503;
    answer = "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked\"},\"status\":503}";
    assertThatThrownBy(() -> store.client().bulk(b -> b.operations(operations()))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> store.wire().bulk(operations())).isInstanceOf(IOException.class);
  }

  @Test
  void aFailedRequestIsStoreUnavailableOrPassesThroughAsBefore() {
    StoreCalls calls = StoreCalls.uncounted();
    status = 503;
    answer = "{\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"blocked\"},\"status\":503}";
    assertThatThrownBy(() -> StoreWrites.direct(store, calls).write(operations()))
        .isInstanceOf(StoreUnavailableException.class);
    status = 404;
    answer = "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index\"},\"status\":404}";
    // A missing index reads as nothing found, as with the typed client.
    assertThat(StoreReads.direct(store, calls).read(
        List.of(MultiGetOperation.of(d -> d.index("relais-contacts").id("c-1"))))).containsExactly((MultiGetResponseItem<Map>) null);
  }

  @Test
  void operationsItDoesNotWriteAreRefusedRatherThanSentWrong() {
    answer = BULK_ANSWER;
    assertThatThrownBy(() -> store.wire().bulk(List.of(BulkOperation.of(b -> b.delete(d -> d.index("i").id("x"))))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.wire().bulk(List.of(BulkOperation.of(b -> b.index(i -> i.index("i").id("x")
        .pipeline("p").document(Map.of()))))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.wire().mget(List.of(MultiGetOperation.of(d -> d.index("i").id("x")
        .storedFields("a"))), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(requests).isEmpty();
  }

  private interface Failing {
    void run() throws Exception;
  }

  private static ElasticsearchException catchEs(Failing call) throws Exception {
    try {
      call.run();
    } catch (ElasticsearchException e) {
      return e;
    }
    throw new AssertionError("no ElasticsearchException");
  }

  private static List<String> fields(BulkResponseItem item) {
    ErrorCause error = item.error();
    return Arrays.asList(String.valueOf(item.operationType()), item.index(), item.id(),
        String.valueOf(item.status()), String.valueOf(item.version()), String.valueOf(item.seqNo()),
        String.valueOf(item.primaryTerm()), item.result(), String.valueOf(item.forcedRefresh()),
        error == null ? null : error.type(), error == null ? null : error.reason());
  }

  @SuppressWarnings("rawtypes")
  private static List<Object> fields(MultiGetResponseItem<Map> item) {
    if (item.isFailure()) {
      return Arrays.asList("failure", item.failure().index(), item.failure().id(), item.failure().error().type(),
          item.failure().error().reason());
    }
    var r = item.result();
    return Arrays.asList("result", r.index(), r.id(), r.found(), r.version(), r.seqNo(), r.primaryTerm(),
        r.routing(), r.source());
  }

  private static String body(String request) {
    return request.substring(request.indexOf('\n') + 1);
  }

  private static String pathAndQuery(String request) {
    String line = request.substring(0, request.indexOf('\n'));
    // Parameter order is not meaningful.
    String[] parts = line.split("\\?", 2);
    if (parts.length == 1) {
      return line;
    }
    String[] params = parts[1].split("&");
    Arrays.sort(params);
    return parts[0] + "?" + String.join("&", params);
  }

  private static List<JsonNode> lines(String request) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    String body = body(request);
    assertThat(body).endsWith("\n");
    for (String line : body.split("\n")) {
      nodes.add(JSON.readTree(line));
    }
    return nodes;
  }
}
