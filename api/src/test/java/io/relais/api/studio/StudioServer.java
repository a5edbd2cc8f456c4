package io.relais.api.studio;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One service for the studio's tests, on the build's Elasticsearch node: the page and browser
 * tests extend it, so Spring starts it once for both (same configuration, one cached context).
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"relais.rules-dir=target/no-rules-here"})
abstract class StudioServer {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-studio");
  }
}
