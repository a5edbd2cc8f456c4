package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.transport.rest5_client.low_level.Node;
import co.elastic.clients.transport.rest5_client.low_level.NodeSelector;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

/**
 * A write is sent to one node: when the node's answer is lost, the caller learns it, rather
 * than the client sending the write again to another node (where a conditional write that was
 * applied would come back as a 409). Reads still go on to the next node.
 */
class OneNodeWritesTest {

  /** A node that reads each request whole, then closes the connection without answering. */
  private static final class SilentNode implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final AtomicInteger requests = new AtomicInteger();
    final Thread thread = new Thread(this::serve, "silent-node");

    SilentNode() throws IOException {
      thread.setDaemon(true);
      thread.start();
    }

    URI url() {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket connection = socket.accept()) {
          BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
              StandardCharsets.ISO_8859_1));
          int length = 0;
          for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
              length = Integer.parseInt(line.substring(15).trim());
            }
          }
          for (int i = 0; i < length; i++) {
            in.read();
          }
          requests.incrementAndGet(); // received whole; the answer is "lost"
        } catch (IOException e) {
          // closed: the test is over
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static HttpServer answering(AtomicInteger requests) throws IOException {
    return answering(requests, 0);
  }

  /** A node whose first {@code unavailable} answers are 503, and 200 after. */
  private static HttpServer answering(AtomicInteger requests, int unavailable) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      int status = requests.incrementAndGet() <= unavailable ? 503 : 200;
      exchange.getRequestBody().readAllBytes();
      byte[] body = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
      exchange.sendResponseHeaders(status, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }

  private static ElasticsearchStore store(URI first, URI second) {
    return ElasticsearchStore.connect(new StoreSettings(List.of(first, second), "relais",
        Duration.ofMillis(500), Duration.ofSeconds(5), StoreAccess.NONE, null, null),
        StoreGuard.defaults());
  }

  // A request sent as a write (ElasticsearchStore.call): the one sent to the nodes above.
  private static void write(ElasticsearchStore store) {
    store.call("write", () -> {
      store.putSettings("contacts", "{}");
      return null;
    });
  }

  @Test
  void aWriteWhoseAnswerIsLostIsNotSentAgainToAnotherNode() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    HttpServer live = answering(answered);
    try (SilentNode silent = new SilentNode();
        ElasticsearchStore store = store(silent.url(), URI.create("http://127.0.0.1:" + live.getAddress().getPort()))) {
      // The first write goes to the first node, which takes it and never answers.
      assertThatThrownBy(() -> write(store)).isInstanceOf(StoreUnavailableException.class);
      assertThat(silent.requests).as("sent once").hasValue(1);
      assertThat(answered).as("never sent to the other node").hasValue(0);

      // The failed node is skipped from now on: the next write goes to the live one.
      write(store);
      assertThat(answered).hasValue(1);
      assertThat(silent.requests).hasValue(1);
    } finally {
      live.stop(0);
    }
  }

  /**
   * The HTTP client under the store client would send a request answered 503 again to the
   * same node by itself (its default retry strategy, whatever the method): off, so the write
   * is sent once and its caller sees the refusal.
   */
  @Test
  void aWriteAnswered503IsNotSentAgainToTheSameNode() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer node = answering(requests, 1);
    URI url = URI.create("http://127.0.0.1:" + node.getAddress().getPort());
    try (ElasticsearchStore store = ElasticsearchStore.connect(new StoreSettings(url, "relais",
        Duration.ofMillis(500), Duration.ofSeconds(5)), StoreGuard.defaults())) {
      assertThatThrownBy(() -> write(store)).isInstanceOf(StoreUnavailableException.class);
      assertThat(requests).as("sent once").hasValue(1);
    } finally {
      node.stop(0);
    }
  }

  @Test
  void aReadWhoseAnswerIsLostGoesOnToTheNextNode() throws Exception {
    AtomicInteger answered = new AtomicInteger();
    HttpServer live = answering(answered);
    try (SilentNode silent = new SilentNode();
        ElasticsearchStore store = store(silent.url(), URI.create("http://127.0.0.1:" + live.getAddress().getPort()))) {
      store.read("read", () -> {
        store.putSettings("contacts", "{}");
        return null;
      });
      assertThat(silent.requests).as("the first node, whose answer was lost").hasValue(1);
      assertThat(answered).as("then the next one, by the client itself").hasValue(1);
    } finally {
      live.stop(0);
    }
  }

  private static List<Node> nodes(int count) {
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      nodes.add(new Node(new HttpHost("http", "127.0.0.1", 9200 + i)));
    }
    return nodes;
  }

  @Test
  void writesKeepOneNodeInTurnAndEverythingElseKeepsAll() throws Exception {
    OneNodeWrites selector = new OneNodeWrites(nodes -> { // the base drops the first
      Iterator<Node> it = nodes.iterator();
      it.next();
      it.remove();
    });
    List<Node> all = nodes(4);

    List<Node> read = new ArrayList<>(all);
    selector.select(read);
    assertThat(read).containsExactlyElementsOf(all.subList(1, 4));

    List<Integer> kept = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<Node> written = new ArrayList<>(all);
      selector.once(() -> {
        selector.select(written);
        return null;
      });
      assertThat(written).hasSize(1);
      kept.add(written.get(0).getHost().getPort());
    }
    assertThat(kept).as("in turn, over what the base kept").containsExactly(9201, 9202, 9203);

    List<Node> after = new ArrayList<>(all);
    selector.select(after);
    assertThat(after).as("the thread is back to reads' selection").hasSize(3);
  }

  @Test
  void aWriteKeepsItsNodeWhenItIsTheOnlyOne() throws Exception {
    OneNodeWrites selector = new OneNodeWrites(NodeSelector.ANY);
    List<Node> one = nodes(1);
    selector.once(() -> {
      selector.select(one);
      return null;
    });
    assertThat(one).hasSize(1);
  }
}
