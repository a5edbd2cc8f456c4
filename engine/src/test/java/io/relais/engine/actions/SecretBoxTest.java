package io.relais.engine.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Secrets sealed in the store under the configured key. */
class SecretBoxTest {

  private static String key(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  @Test
  void aSealedSecretDoesNotShowAndOpensUnderItsKey() {
    SecretBox box = SecretBox.of(key(32));
    String secret = Signatures.newSecret();
    String stored = box.seal(secret);
    assertThat(stored).doesNotContain(secret.substring(6)).startsWith("aes-gcm:");
    assertThat(box.seal(secret)).as("a new nonce each time").isNotEqualTo(stored);
    assertThat(box.open(stored)).isEqualTo(secret);
  }

  @Test
  void anotherKeyOrNoKeyCannotOpenIt() {
    String stored = SecretBox.of(key(32)).seal("whsec_x");
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> SecretBox.of(Base64.getEncoder().encodeToString(other)).open(stored))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> SecretBox.of(null).open(stored)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void withoutAKeySecretsAreKeptInClearAndSaySo() {
    SecretBox box = SecretBox.of("");
    assertThat(box.seals()).isFalse();
    assertThat(box.open(box.seal("whsec_x"))).isEqualTo("whsec_x");
  }

  @Test
  void aKeyOfTheWrongSizeIsRefused() {
    assertThatThrownBy(() -> SecretBox.of(key(16))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> SecretBox.of("not base64!")).isInstanceOf(IllegalArgumentException.class);
  }
}
