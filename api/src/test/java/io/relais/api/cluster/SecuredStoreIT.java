package io.relais.api.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relais.api.RelaisApplication;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.StoreAccess;
import io.relais.engine.store.StoreAccessException;
import io.relais.engine.store.StoreGuard;
import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Relais on a secured store: HTTPS with a private CA and a user's password, through an
 * authenticating TLS-terminating proxy in front of the build's node. The right credentials
 * and trust work (the password read from a file); a wrong password or an untrusted
 * certificate stops the start with a message that says which; the secret is in no log line
 * and in no actuator answer.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecuredStoreIT {

  private static final String USER = "relais";
  private static final String PASSWORD = "s3cret-Pa55-7f2c9e";

  @TempDir
  static Path dir;
  private static TlsProxy proxy;

  @BeforeAll
  static void proxy() throws Exception {
    proxy = new TlsProxy(URI.create(System.getProperty("relais.es.url")), dir.resolve("tls"), USER, PASSWORD);
  }

  @AfterAll
  static void close() {
    proxy.close();
  }

  private static ConfigurableApplicationContext start(String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--server.port=0",
        "--relais.store.urls=" + proxy.url(),
        "--relais.store.index-prefix=it-secured",
        "--relais.rules-dir=target/no-rules-here",
        "--relais.security.api-keys[0].key=k-admin",
        "--relais.security.api-keys[0].roles=admin",
        "--management.endpoints.web.exposure.include=health,env,configprops"));
    args.addAll(List.of(more));
    return new SpringApplicationBuilder(RelaisApplication.class).run(args.toArray(String[]::new));
  }

  private static HttpResponse<String> get(String base, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + path))
        .header("X-API-Key", "k-admin").build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void rightCredentialsAndTrustWorkAndThePasswordIsNeverShown(CapturedOutput output) throws Exception {
    // The password as a mounted secret file: Spring's configtree reads relais/store/password.
    Path secrets = dir.resolve("secrets");
    Files.createDirectories(secrets.resolve("relais/store"));
    Files.writeString(secrets.resolve("relais/store/password"), PASSWORD);
    try (ConfigurableApplicationContext app = start(
        "--spring.config.import=configtree:" + secrets + "/",
        "--relais.store.username=" + USER,
        "--relais.store.ca-certificate=" + proxy.caPem())) {
      String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
      HttpResponse<String> health = get(base, "/actuator/health");
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"store\"").contains("\"UP\"");
      for (String path : List.of("/actuator/env", "/actuator/configprops", "/actuator/env/relais.store.password")) {
        HttpResponse<String> answer = get(base, path);
        assertThat(answer.body()).as(path).doesNotContain(PASSWORD);
      }
    }
    assertThat(output.getAll()).doesNotContain(PASSWORD);
  }

  @Test
  void aWrongPasswordStopsTheStartAndSaysSo(CapturedOutput output) {
    assertThatThrownBy(() -> start(
        "--relais.store.username=" + USER,
        "--relais.store.password=not-" + PASSWORD,
        "--relais.store.ca-certificate=" + proxy.caPem()).close())
        .satisfies(e -> assertThat(accessFailure(e)).hasMessageContaining("refused Relais' credentials (HTTP 401"));
    assertThat(output.getAll()).contains("refused Relais' credentials").doesNotContain(PASSWORD);
  }

  @Test
  void anUntrustedCertificateStopsTheStartAndSaysSo(CapturedOutput output) {
    assertThatThrownBy(() -> start(
        "--relais.store.username=" + USER,
        "--relais.store.password=" + PASSWORD).close())
        .satisfies(e -> assertThat(accessFailure(e)).hasMessageContaining("TLS with the store failed"));
    assertThat(output.getAll()).contains("relais.store.ca-certificate").doesNotContain(PASSWORD);
  }

  private static StoreAccessException accessFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof StoreAccessException access) {
        return access;
      }
    }
    throw new AssertionError("no StoreAccessException in " + failure);
  }

  @Test
  void theCaFingerprintIsTrustEnough() {
    StoreSettings settings = new StoreSettings(List.of(proxy.url()), "it-secured", Duration.ofSeconds(2),
        Duration.ofSeconds(10), new StoreAccess(null, USER, PASSWORD, null, proxy.caFingerprint()), null, null);
    try (ElasticsearchStore store = ElasticsearchStore.connect(settings, StoreGuard.defaults())) {
      assertThat(store.checkAccess()).isTrue();
      assertThat(store.health().isUp()).isTrue();
    }
  }
}
