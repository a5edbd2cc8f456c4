package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * No spelling of a path reaches a controller without a key
 * or with the wrong role. Each row is sent byte for byte on a socket (no client normalises it),
 * as a ruleset upload, with no key, a decide key and an author key; the expected status and
 * problem type are exact. The ruleset name of each row is unique, and the last check asks an
 * admin key whether any of them was stored.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.rules-dir=target/no-rules-here"
    })
class PathEncodingsIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-paths");
  }

  @LocalServerPort int port;

  private static final String RULES = "segment \"x\"\nthen tag \"A\"\nend\n";

  private static final String FIREWALL = "400 bad-request";
  private static final String NO_KEY = "401 unauthorized";
  private static final String NO_ROLE = "403 forbidden";

  /** path, expected without a key, with decide, with author. */
  static Stream<Arguments> encodings() {
    return Stream.of(
        Arguments.of("PUT", "/api;/v1/rulesets/p1", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1;x=1/rulesets/p2", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets/p3;jsessionid=1", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/%61pi/v1/rulesets/p4", NO_KEY, NO_ROLE, "201 -"),
        Arguments.of("PUT", "/api/v1/%72ulesets/p5", NO_KEY, NO_ROLE, "201 -"),
        Arguments.of("PUT", "/api/v1/rulesets/%70%36", NO_KEY, NO_ROLE, "201 -"),
        Arguments.of("PUT", "//api/v1/rulesets/p7", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api//v1/rulesets/p8", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/./rulesets/p9", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets/../rulesets/p10", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("POST", "/api/v1/rulesets/../decisions", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/x/%2e%2e/rulesets/p12", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets%2Fp13", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets%2fp14", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets%5Cp15", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets/p16%00", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets/p17%ff", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets/p18%25", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/api/v1/rulesets/p19%0a", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("PUT", "/API/V1/RULESETS/P20", NO_KEY, NO_ROLE, NO_ROLE),
        Arguments.of("PUT", "/Api/v1/rulesets/p21", NO_KEY, NO_ROLE, NO_ROLE),
        Arguments.of("PUT", "/api/v1/rulesets/p22/", NO_KEY, NO_ROLE, "404 not-found"),
        Arguments.of("PUT", "/api/v1/rulesets/", NO_KEY, NO_ROLE, "404 not-found"),
        Arguments.of("PUT", "/api/v1/rulesets/p24?x=/../decisions", NO_KEY, NO_ROLE, "201 -"),
        Arguments.of("PUT", "http://127.0.0.1/api;/v1/rulesets/p25", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("POST", "/api;/v1/rulesets/p26/versions/1/activate", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("POST", "/%61pi/v1/rulesets/p27/versions/1/activate", NO_KEY, NO_ROLE, "404 not-found"),
        Arguments.of("GET", "/api/v1/rulesets", NO_KEY, NO_ROLE, "200 -"),
        Arguments.of("GET", "/api/v1/%72ulesets", NO_KEY, NO_ROLE, "200 -"),
        Arguments.of("GET", "/api/v1/batch-runs/x", NO_KEY, NO_ROLE, NO_ROLE),
        Arguments.of("GET", "/actuator/metrics", NO_KEY, NO_ROLE, NO_ROLE),
        Arguments.of("GET", "/actuator/%6detrics", NO_KEY, NO_ROLE, NO_ROLE),
        Arguments.of("GET", "/actuator/health/../metrics", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("GET", "/actuator/health;/../metrics", FIREWALL, FIREWALL, FIREWALL),
        Arguments.of("GET", "/actuator/info", NO_KEY, NO_ROLE, NO_ROLE));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("encodings")
  void everySpellingOfAPathIsAuthorisedAsTheControllerSeesIt(
      String method, String path, String none, String decide, String author) throws Exception {
    List<String> actual = new ArrayList<>();
    for (String key : new String[] {null, "k-decide", "k-author"}) {
      actual.add(outcome(method, path, key));
    }
    assertThat(actual).containsExactly(none, decide, author);
  }

  private String outcome(String method, String path, String key) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    if (key != null) {
      headers.put("X-API-Key", key);
    }
    String body = null;
    if (!method.equals("GET")) {
      headers.put("Content-Type", "text/plain");
      body = RULES;
    }
    RawHttp.Answer answer = RawHttp.send(port, method, path, headers, body);
    String type = answer.status() < 300 ? "-" : answer.problemType();
    return answer.status() + " " + type;
  }

  @Test
  void noRulesetWasStoredThroughARefusedSpelling() throws Exception {
    RawHttp.Answer list = RawHttp.send(port, "GET", "/api/v1/rulesets", Map.of("X-API-Key", "k-admin"), null);

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().findValuesAsText("name"))
        .doesNotContain("p1", "p2", "p3", "p7", "p8", "p9", "p10", "p12", "p13", "p14", "p15", "p20", "p21", "p25");
  }
}
