package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's signatures (JDK HMAC) checked by another implementation: the Standard Webhooks library. */
class SignaturesTest {

  private static final String BODY = "{\"id\":\"a.0\",\"type\":\"MESSAGE\",\"data\":{\"contactId\":\"c-1\"}}";

  private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
    return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
        "webhook-signature", List.of(signature));
  }

  @Test
  void theStandardWebhooksLibraryVerifiesOurSignature() throws Exception {
    String secret = Signatures.newSecret();
    long now = Instant.now().getEpochSecond();
    String header = Signatures.header(List.of(secret), "a.0", now, BODY);
    new Webhook(secret).verify(BODY, headers("a.0", now, header));
    assertThat(header).startsWith("v1,").isEqualTo(new Webhook(secret).sign("a.0", now, BODY));
  }

  @Test
  void aSignatureOfAnotherBodyIdOrSecretDoesNotVerify() {
    String secret = Signatures.newSecret();
    long now = Instant.now().getEpochSecond();
    String header = Signatures.header(List.of(secret), "a.0", now, BODY);
    assertThatThrownBy(() -> new Webhook(secret).verify(BODY + " ", headers("a.0", now, header)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> new Webhook(secret).verify(BODY, headers("a.1", now, header)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> new Webhook(Signatures.newSecret()).verify(BODY, headers("a.0", now, header)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void duringARotationBothSecretsSignAndEitherVerifies() throws Exception {
    String old = Signatures.newSecret();
    String current = Signatures.newSecret();
    long now = Instant.now().getEpochSecond();
    String header = Signatures.header(List.of(current, old), "a.0", now, BODY);
    assertThat(header.split(" ")).hasSize(2);
    new Webhook(old).verify(BODY, headers("a.0", now, header));
    new Webhook(current).verify(BODY, headers("a.0", now, header));
  }

  @Test
  void aSecretIsWhsecAnd32RandomBytes() {
    String secret = Signatures.newSecret();
    assertThat(secret).startsWith("whsec_");
    assertThat(java.util.Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    assertThat(Signatures.newSecret()).isNotEqualTo(secret);
  }

  /** The keyed MACs are copied for each signature: the same secret signs on many threads at once. */
  @Test
  void oneSecretSignsConcurrentlyAsTheLibraryDoes() throws Exception {
    String secret = Signatures.newSecret();
    long now = Instant.now().getEpochSecond();
    List<java.util.concurrent.Callable<Boolean>> signers = new java.util.ArrayList<>();
    for (int i = 0; i < 64; i++) {
      String id = "a." + i;
      String body = BODY + " ".repeat(i);
      signers.add(() -> Signatures.sign(secret, id, now, body).equals(new Webhook(secret).sign(id, now, body)));
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      for (var signed : pool.invokeAll(signers)) {
        assertThat(signed.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Keyed MACs are kept for at most 1,024 secrets: rotations over a long life do not grow it. */
  @Test
  void theKeyedMacsStayBounded() throws Exception {
    long now = Instant.now().getEpochSecond();
    String last = null;
    for (int i = 0; i < 1100; i++) {
      last = Signatures.newSecret();
      Signatures.sign(last, "a.0", now, BODY);
    }
    assertThat(Signatures.keyedCount()).isLessThanOrEqualTo(1024);
    assertThat(Signatures.sign(last, "a.0", now, BODY)).isEqualTo(new Webhook(last).sign("a.0", now, BODY));
  }
}
