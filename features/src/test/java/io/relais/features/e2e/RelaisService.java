package io.relais.features.e2e;

import io.relais.api.RelaisApplication;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Relais service started once in the test JVM, on a random port, against the build's
 * Elasticsearch node ({@code relais.es.url}), with the scenario clock and one API key.
 */
public final class RelaisService {

  /** The key the end-to-end driver sends; it holds every role. */
  public static final String API_KEY = "features-e2e";

  private static RelaisService running;

  private final ConfigurableApplicationContext context;
  private final URI url;
  /** What each ruleset name holds on this service, by file name. */
  private final Map<String, Map<String, String>> uploaded = new ConcurrentHashMap<>();

  private RelaisService(String storeUrl) {
    // As command-line arguments: they override application.yml (builder properties would not).
    context = new SpringApplicationBuilder(RelaisApplication.class, ScenarioClockConfiguration.class)
        .run(
            "--server.port=0",
            "--relais.store.url=" + storeUrl,
            // A prefix per run: scenarios never see a previous run's contacts.
            "--relais.store.index-prefix=features-" + UUID.randomUUID().toString().substring(0, 8),
            // Scenarios upload their rulesets themselves.
            "--relais.rules-dir=target/no-rules-here",
            // Scenarios decide due steps when their time passes, through the service's recorder
            // (EndToEndRelais.decideDueSteps), not whenever the background scheduler wakes up.
            "--relais.campaigns.due-steps-enabled=false",
            "--relais.security.api-keys[0].key=" + API_KEY,
            "--relais.security.api-keys[0].roles=admin");
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    url = URI.create("http://127.0.0.1:" + port);
  }

  /** A bean of the running service. */
  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  /** The service, started on first use. */
  public static synchronized RelaisService get() {
    if (running == null) {
      String storeUrl = System.getProperty("relais.es.url");
      if (storeUrl == null || storeUrl.isBlank() || storeUrl.endsWith(":0")) {
        throw new IllegalStateException("relais.es.url is not set: the end-to-end scenarios run through"
            + " `mvn verify` (failsafe), which starts Elasticsearch, or with -Drelais.es.url=http://127.0.0.1:PORT");
      }
      running = new RelaisService(storeUrl);
    }
    return running;
  }

  /** Stops the service if it was started. */
  public static synchronized void stop() {
    if (running != null) {
      running.context.close();
      running = null;
    }
  }

  public URI url() {
    return url;
  }

  /** The rulesets uploaded so far, for drivers that upload only what changed. */
  public Map<String, Map<String, String>> uploaded() {
    return uploaded;
  }
}
