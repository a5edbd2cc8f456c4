package io.relais.engine.testing;

import io.relais.engine.store.StoreSettings;
import java.net.URI;
import java.util.UUID;

/**
 * The Elasticsearch node the build started for the integration tests ({@code relais.es.url},
 * set by the failsafe configuration of the parent POM), with an index prefix of its own so
 * tests never see each other's data.
 */
public final class TestStore {

  private TestStore() {}

  public static URI url() {
    String url = System.getProperty("relais.es.url");
    if (url == null || url.isBlank() || url.endsWith(":0")) {
      throw new IllegalStateException(
          "relais.es.url is not set: run integration tests through `mvn verify`, which starts"
              + " Elasticsearch, or pass -Drelais.es.url=http://127.0.0.1:PORT");
    }
    return URI.create(url);
  }

  /** Settings for a fresh, unique index prefix on the build's node. */
  public static StoreSettings freshSettings() {
    String prefix = "it-" + UUID.randomUUID().toString().substring(0, 8);
    StoreSettings local = StoreSettings.local(url());
    return new StoreSettings(local.url(), prefix, local.connectTimeout(), local.responseTimeout());
  }
}
