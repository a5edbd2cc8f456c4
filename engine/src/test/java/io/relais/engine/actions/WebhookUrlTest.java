package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which URLs a subscription may have: http and https with a host, nothing else. */
class WebhookUrlTest {

  @ParameterizedTest
  @ValueSource(strings = {"https://hooks.acme.fr/relais", "http://127.0.0.1:8081/in", "HTTPS://acme.fr"})
  void httpAndHttpsAreAccepted(String url) {
    assertThat(Webhooks.checkUrl(url)).isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "ftp://acme.fr/x", "gopher://acme.fr", "jar:file:/x!/y",
      "javascript:alert(1)", "/relative", "https:///no-host", "https://user:pw@acme.fr/", "not a url"})
  void otherSchemesAndShapesAreRefused(String url) {
    assertThatThrownBy(() -> Webhooks.checkUrl(url)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTypeOrChannelFilterSelectsActions() {
    Webhook all = new Webhook("a", "https://x", null, null, null, java.time.Instant.EPOCH, java.time.Instant.EPOCH);
    Webhook alerts = new Webhook("b", "https://x", java.util.List.of("ALERT"), java.util.List.of("slack"), null,
        java.time.Instant.EPOCH, java.time.Instant.EPOCH);
    assertThat(all.wants("MESSAGE", "email")).isTrue();
    assertThat(alerts.wants("ALERT", "slack")).isTrue();
    assertThat(alerts.wants("ALERT", "email")).isFalse();
    assertThat(alerts.wants("MESSAGE", "slack")).isFalse();
  }
}
