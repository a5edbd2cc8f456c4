package io.relais.engine.actions;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local webhook receiver (the JDK's HTTP server): records every request and answers the
 * statuses it is given in turn, then 200; a status of 0 hangs until {@link #release()}.
 */
final class Receiver implements AutoCloseable {

  /** One request as received. */
  record Received(String id, String timestamp, String signature, String body) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final HttpServer server;

  Receiver() throws IOException {
    this(0);
  }

  Receiver(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 200);
    server.setExecutor(Executors.newFixedThreadPool(64));
    server.createContext("/in", this::handle);
    server.start();
  }

  /** The statuses the next requests get, in turn. */
  Receiver answering(Integer... statuses) {
    answers.addAll(List.of(statuses));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + port() + "/in";
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Lets hanging requests answer (503). */
  void release() {
    released.countDown();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    var headers = exchange.getRequestHeaders();
    received.add(new Received(headers.getFirst("webhook-id"), headers.getFirst("webhook-timestamp"),
        headers.getFirst("webhook-signature"), new String(body, StandardCharsets.UTF_8)));
    Integer status = answers.poll();
    int answer = status == null ? 200 : status;
    if (answer == 0) {
      try {
        released.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer = 503;
    }
    byte[] out = ("<html>answer " + answer + "</html>").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer, out.length);
    exchange.getResponseBody().write(out);
    exchange.close();
  }

  /** Requests received per webhook id. */
  Map<String, Long> perId() {
    return received.stream().collect(java.util.stream.Collectors.groupingBy(Received::id,
        java.util.stream.Collectors.counting()));
  }

  @Override
  public void close() {
    release();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
