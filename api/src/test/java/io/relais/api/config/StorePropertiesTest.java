package io.relais.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class StorePropertiesTest {

  private static StoreProperties bind(Map<String, String> values) {
    return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("relais.store", StoreProperties.class);
  }

  @Test
  void urlsListEveryNodeAndTheOlderUrlIsStillRead() {
    assertThat(bind(Map.of("relais.store.urls", "http://a:9200,http://b:9200")).toSettings().urls())
        .containsExactly(URI.create("http://a:9200"), URI.create("http://b:9200"));
    assertThat(bind(Map.of("relais.store.url", "http://old:9200")).toSettings().urls())
        .containsExactly(URI.create("http://old:9200"));
    assertThat(bind(Map.of()).toSettings().urls()).isEqualTo(List.of(URI.create("http://127.0.0.1:9200")));
  }

  @Test
  void bothIsAMistake() {
    assertThatThrownBy(() -> bind(Map.of("relais.store.url", "http://a:9200", "relais.store.urls", "http://b:9200")))
        .hasStackTraceContaining("not both");
  }

  @Test
  void sniffingAndReplicasAreOptional() {
    assertThat(bind(Map.of()).toSettings().sniffInterval()).isNull();
    assertThat(bind(Map.of()).toSettings().replicas()).isNull();
    assertThat(bind(Map.of("relais.store.sniff", "true", "relais.store.replicas", "1")).toSettings())
        .satisfies(s -> assertThat(s.sniffInterval()).isNotNull())
        .satisfies(s -> assertThat(s.replicas()).isEqualTo(1));
  }

  @Test
  void theStoresOwnWaitReachesTheSettingsAndMustEndBeforeTheResponseTimeout() {
    assertThat(bind(Map.of()).toSettings().waitTimeout()).isNull();
    assertThat(bind(Map.of("relais.store.wait-timeout", "500ms")).toSettings().waitTimeout())
        .isEqualTo(java.time.Duration.ofMillis(500));
    assertThatThrownBy(() -> bind(Map.of("relais.store.wait-timeout", "3s")).toSettings())
        .hasMessageContaining("shorter than the response timeout");
  }

  @Test
  void theFlushThresholdAgeIsTenSecondsUnlessSetAndAtLeastASecond() {
    assertThat(bind(Map.of()).toSettings().flushThresholdAge()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(bind(Map.of("relais.store.flush-threshold-age", "")).toSettings().flushThresholdAge())
        .isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(bind(Map.of("relais.store.flush-threshold-age", "5m")).toSettings().flushThresholdAge())
        .isEqualTo(java.time.Duration.ofMinutes(5));
    assertThatThrownBy(() -> bind(Map.of("relais.store.flush-threshold-age", "500ms")).toSettings())
        .hasMessageContaining("at least 1s");
  }

  @Test
  void itsTextNeverHoldsThePassword() {
    assertThat(bind(Map.of("relais.store.username", "u", "relais.store.password", "hunter2-x")).toString())
        .doesNotContain("hunter2-x");
  }

  @Test
  void retriesOfReadsReachTheGuardAndAreChecked() {
    assertThat(bind(Map.of()).toGuard())
        .satisfies(g -> assertThat(g.retryAttempts()).isEqualTo(3))
        .satisfies(g -> assertThat(g.retryBackoff()).isEqualTo(java.time.Duration.ofMillis(50)))
        .satisfies(g -> assertThat(g.retryMaxBackoff()).isEqualTo(java.time.Duration.ofMillis(500)));
    assertThat(bind(Map.of("relais.store.retry-attempts", "1", "relais.store.retry-backoff", "10ms",
        "relais.store.retry-max-backoff", "20ms")).toGuard())
        .satisfies(g -> assertThat(g.retryAttempts()).isEqualTo(1))
        .satisfies(g -> assertThat(g.retryBackoff()).isEqualTo(java.time.Duration.ofMillis(10)))
        .satisfies(g -> assertThat(g.retryMaxBackoff()).isEqualTo(java.time.Duration.ofMillis(20)));
    assertThatThrownBy(() -> bind(Map.of("relais.store.retry-attempts", "0")).toGuard())
        .hasMessageContaining("retry attempts");
    assertThatThrownBy(() -> bind(Map.of("relais.store.retry-backoff", "1s", "relais.store.retry-max-backoff", "100ms"))
        .toGuard()).hasMessageContaining("max backoff");
  }
}
