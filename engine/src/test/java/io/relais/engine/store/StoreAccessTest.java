package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreAccessTest {

  @Test
  void neverShowsItsSecrets() {
    StoreAccess basic = new StoreAccess(null, "relais", "pa55-word-x", null, null);
    StoreAccess key = new StoreAccess("a2V5LWlkOmtleS1zZWNyZXQ=", null, null, null,
        "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99");

    assertThat(basic.toString()).contains("user relais").doesNotContain("pa55-word-x");
    assertThat(key.toString()).contains("api-key").doesNotContain("a2V5LWlkOmtleS1zZWNyZXQ=");
    assertThat(new StoreSettings(List.of(URI.create("https://es:9200")), "relais", Duration.ofSeconds(1),
        Duration.ofSeconds(1), basic, null, null).toString()).doesNotContain("pa55-word-x");
  }

  @Test
  void sendsTheCredentialsItIsGiven() {
    assertThat(new StoreAccess("a2V5", null, null, null, null).authorization()).contains("ApiKey a2V5");
    assertThat(new StoreAccess(null, "u", "p", null, null).authorization()).contains("Basic dTpw");
    assertThat(StoreAccess.NONE.authorization()).isEmpty();
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> new StoreAccess("k", "u", "p", null, null)).hasMessageContaining("not both");
    assertThatThrownBy(() -> new StoreAccess(null, "u", null, null, null)).hasMessageContaining("needs a password");
    assertThatThrownBy(() -> new StoreAccess(null, null, null, null, "12:34")).hasMessageContaining("SHA-256");
    assertThatThrownBy(() -> new StoreAccess(null, null, null, java.nio.file.Path.of("/no/such/ca.pem"), null))
        .hasMessageContaining("not a readable file");
    // A URL's user info would be logged with the node's address.
    assertThatThrownBy(() -> new StoreSettings(URI.create("https://u:p@es:9200"), "relais", Duration.ofSeconds(1),
        Duration.ofSeconds(1))).hasMessageContaining("must not hold credentials");
  }
}
