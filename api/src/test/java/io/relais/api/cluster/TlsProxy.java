package io.relais.api.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS-terminating, authenticating proxy in front of one Elasticsearch node, as a secured
 * cluster looks to Relais: HTTPS with a certificate signed by a CA made for the test (by the
 * JDK's keytool), and HTTP basic authentication of one user; anything else is 401.
 */
final class TlsProxy implements AutoCloseable {

  private static final String STORE_PASSWORD = "changeit";
  // Hop-by-hop and framing headers the JDK sets itself.
  private static final Set<String> NOT_COPIED = Set.of("content-length", "transfer-encoding", "connection",
      "host", "upgrade", "keep-alive", "expect", "authorization");

  private final HttpsServer server;
  private final HttpClient upstream = HttpClient.newHttpClient();
  private final URI node;
  private final String expectedAuthorization;
  private final Path caPem;
  private final String caFingerprint;

  TlsProxy(URI node, Path dir, String username, String password) throws Exception {
    this.node = node;
    this.expectedAuthorization = "Basic " + Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.p12");
    Path keys = dir.resolve("server.p12");
    caPem = dir.resolve("ca.pem");
    Path csr = dir.resolve("server.csr");
    Path signed = dir.resolve("server.pem");
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=relais-test-ca",
        "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12");
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
    keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-validity", "2", "-keystore", keys.toString(), "-storetype", "PKCS12");
    keytool("-certreq", "-alias", "server", "-keystore", keys.toString(), "-file", csr.toString());
    keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
        "-outfile", signed.toString(), "-rfc", "-ext", "san=ip:127.0.0.1", "-validity", "2");
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", keys.toString());
    keytool("-importcert", "-alias", "server", "-file", signed.toString(), "-keystore", keys.toString());
    caFingerprint = fingerprint(caPem);

    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keys)) {
      keyStore.load(in, STORE_PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keyStore, STORE_PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.createContext("/", this::forward);
    server.start();
  }

  URI url() {
    return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
  }

  Path caPem() {
    return caPem;
  }

  String caFingerprint() {
    return caFingerprint;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      if (!expectedAuthorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        byte[] refusal = "{\"error\":\"unauthorized\",\"status\":401}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"security\"");
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(401, head ? -1 : refusal.length);
        if (!head) {
          exchange.getResponseBody().write(refusal);
        }
        return;
      }
      URI target = node.resolve(exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
      HttpRequest.Builder request = HttpRequest.newBuilder(target)
          .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!NOT_COPIED.contains(name.toLowerCase())) {
          values.forEach(value -> request.header(name, value));
        }
      });
      HttpResponse<byte[]> response;
      try {
        response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (!NOT_COPIED.contains(name.toLowerCase()) && !name.startsWith(":")) {
          exchange.getResponseHeaders().put(name, new ArrayList<>(values));
        }
      });
      byte[] answer = response.body();
      exchange.sendResponseHeaders(response.statusCode(), head || answer.length == 0 ? -1 : answer.length);
      if (!head && answer.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  private static String fingerprint(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storepass", STORE_PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
