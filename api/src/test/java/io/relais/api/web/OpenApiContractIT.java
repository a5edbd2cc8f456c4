package io.relais.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every status the service answers is in the OpenAPI document it serves and in
 * docs/api.md. Walks every documented operation with the failures any call can meet, and the
 * calls of each operation that succeed or fail in its own ways; the store-down half is
 * {@link OpenApiStoreDownIT}.
 */
// The three keys of application-three-keys.properties: k-admin, k-author, k-decide.
@ActiveProfiles("three-keys")
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "relais.api.max-body-size=8KB",
      "relais.rules-dir=target/no-rules-here"
    })
class OpenApiContractIT {

  @DynamicPropertySource
  static void store(DynamicPropertyRegistry registry) {
    registry.add("relais.store.url", () -> System.getProperty("relais.es.url"));
    registry.add("relais.store.index-prefix", () -> "it-openapi");
  }

  @LocalServerPort int port;

  private static final String RULES = "scoring \"Visit\"\nwhen\n  event is page_visit\nthen\n  add 1 to score\nend\n";
  private static final String JSON = "application/json";
  private static final String TEXT = "text/plain";

  /** A key that lacks the role a path needs. */
  static String wrongRole(String template) {
    return template.startsWith("/api/v1/rulesets") || template.startsWith("/api/v1/language")
        || template.startsWith("/api/v1/simulations") || template.startsWith("/api/v1/audiences") || template.startsWith("/api/v1/leads")
        || template.startsWith("/api/v1/funnel") ? "k-decide" : "k-author";
  }

  @Test
  void everyAnswerIsDocumentedInTheOpenApiDocumentAndInApiMd() throws Exception {
    OpenApiContract contract = new OpenApiContract(port);

    // Rulesets.
    contract.call("PUT", "/api/v1/rulesets/oa", h("k-author", TEXT), RULES);
    contract.call("PUT", "/api/v1/rulesets/oa", h("k-author", JSON),
        "{\"files\": {\"oa.rules\": " + quoted(RULES) + "}}");
    contract.call("PUT", "/api/v1/rulesets/oa-bad", h("k-author", TEXT), "scoring \"x\"\nwhen contact.scroe > 1\n");
    contract.call("PUT", "/api/v1/rulesets/oa-big", h("k-author", JSON), "{\"files\": {" + many(101) + "}}");
    contract.call("PUT", "/api/v1/rulesets/bad%20name", h("k-author", TEXT), RULES);
    contract.call("POST", "/api/v1/rulesets/oa/validate", h("k-author", TEXT), RULES);
    contract.call("POST", "/api/v1/rulesets/oa/validate", h("k-author", JSON), "{\"files\": {}}");
    contract.call("GET", "/api/v1/rulesets", h("k-author", null), null);
    contract.call("GET", "/api/v1/rulesets/oa", h("k-author", null), null);
    contract.call("GET", "/api/v1/rulesets/oa-none", h("k-author", null), null);
    contract.call("GET", "/api/v1/rulesets/oa/versions/1", h("k-author", null), null);
    contract.call("GET", "/api/v1/rulesets/oa/versions/99", h("k-author", null), null);
    contract.call("GET", "/api/v1/rulesets/oa/versions/one", h("k-author", null), null);
    contract.call("POST", "/api/v1/rulesets/oa/versions/2/activate", h("k-author", null), null);
    contract.call("POST", "/api/v1/rulesets/oa/versions/99/activate", h("k-author", null), null);
    contract.call("POST", "/api/v1/rulesets/oa/try?trace=all", h("k-author", JSON), "{\"contact\": {\"id\": \"t\"}}");
    contract.call("POST", "/api/v1/rulesets/oa/try", h("k-author", JSON),
        "{\"contact\": {}, \"files\": {\"oa.rules\": " + quoted(RULES) + "}}");
    contract.call("POST", "/api/v1/rulesets/oa/try", h("k-author", JSON),
        "{\"contact\": {}, \"files\": {\"oa.rules\": \"scoring \\\"x\\\"\\nwhen contact.scroe > 1\\n\"}}");
    contract.call("POST", "/api/v1/rulesets/oa/try", h("k-author", JSON), "{\"contact\": {}, \"files\": {" + many(101) + "}}");
    contract.call("POST", "/api/v1/rulesets/oa-none/try", h("k-author", JSON), "{\"contactId\": \"oa-nobody\"}");

    // Language service.
    String asked = "{\"files\": {\"oa.rules\": " + quoted(RULES) + "}, \"file\": \"oa.rules\", \"line\": 3, \"column\": 3}";
    for (String operation : List.of("diagnostics", "completion", "hover", "definition", "symbols", "format")) {
      contract.call("POST", "/api/v1/language/" + operation, h("k-author", JSON), asked);
      contract.call("POST", "/api/v1/language/" + operation, h("k-author", JSON), "{\"files\": {}}");
      contract.call("POST", "/api/v1/language/" + operation, h("k-author", JSON), "{\"files\": {" + many(101) + "}}");
    }

    // Contacts, events, decisions.
    contract.call("PUT", "/api/v1/contacts/oa-c1", h("k-decide", JSON), "{\"id\": \"oa-c1\", \"score\": 5}");
    contract.call("PUT", "/api/v1/contacts/oa-c1", h("k-decide", JSON), "{\"id\": \"oa-c1\", \"score\": 6}");
    contract.call("PUT", "/api/v1/contacts/oa-c1", h("k-decide", JSON), "{\"id\": \"other\"}");
    contract.call("POST", "/api/v1/contacts/_bulk", h("k-decide", JSON), "[{\"id\": \"oa-c2\"}, {\"score\": 1}]");
    contract.call("POST", "/api/v1/contacts/_bulk", h("k-decide", "application/x-ndjson"), "{\"id\": \"oa-c3\"}\n");
    contract.call("GET", "/api/v1/contacts/oa-c1", h("k-decide", null), null);
    contract.call("GET", "/api/v1/contacts/oa-nobody", h("k-decide", null), null);
    contract.call("GET", "/api/v1/contacts/oa-c1/events?limit=10", h("k-decide", null), null);
    contract.call("GET", "/api/v1/contacts/oa-c1/events?limit=0", h("k-decide", null), null);
    contract.call("GET", "/api/v1/contacts/oa-nobody/events", h("k-decide", null), null);
    String event = "{\"id\": \"oa-e1\", \"type\": \"page_visit\"}";
    contract.call("POST", "/api/v1/contacts/oa-c1/events?ruleset=oa", h("k-decide", JSON), event);
    contract.call("POST", "/api/v1/contacts/oa-c1/events?ruleset=oa", h("k-decide", JSON), event);
    contract.call("POST", "/api/v1/contacts/oa-c1/events?ruleset=oa-none", h("k-decide", JSON), event);
    contract.call("POST", "/api/v1/contacts/oa-c1/events?ruleset=oa", h("k-decide", JSON), "{\"type\": \"page_visit\"}");
    contract.call("POST", "/api/v1/events/_bulk?ruleset=oa", h("k-decide", JSON),
        "[{\"contactId\": \"oa-c1\", \"id\": \"oa-e2\", \"type\": \"page_visit\"}, {\"id\": \"oa-e3\"}]");
    contract.call("POST", "/api/v1/events/_bulk?ruleset=oa-none", h("k-decide", JSON), "[]");
    contract.call("POST", "/api/v1/contacts/oa-c1/rewards/nothing/redeem?ruleset=oa", h("k-decide", null), null);
    contract.call("POST", "/api/v1/decisions", h("k-decide", JSON), "{\"ruleset\": \"oa\", \"contactId\": \"oa-c1\"}");
    contract.call("POST", "/api/v1/decisions", h("k-decide", JSON), "{\"ruleset\": \"oa\", \"contactId\": \"oa-nobody\"}");
    contract.call("POST", "/api/v1/decisions", h("k-decide", JSON), "{\"ruleset\": \"oa-none\", \"contact\": {}}");
    contract.call("POST", "/api/v1/decisions", h("k-decide", JSON), "{\"ruleset\": \"oa\"}");
    contract.call("POST", "/api/v1/decisions", h("k-decide", JSON), "{\"ruleset\": \"oa\", \"contact\": {}, \"x\": 1} 2");

    // Audiences, leads, funnel, batch runs.
    contract.call("POST", "/api/v1/audiences/count", h("k-admin", JSON), "{\"ruleset\": \"oa\", \"condition\": \"contact.score >= 1\"}");
    contract.call("POST", "/api/v1/audiences/count", h("k-admin", JSON), "{\"ruleset\": \"oa\", \"condition\": \"contact.scroe >= 1\"}");
    contract.call("POST", "/api/v1/audiences/count", h("k-admin", JSON), "{\"ruleset\": \"oa-none\", \"condition\": \"contact.score >= 1\"}");
    contract.call("GET", "/api/v1/leads?stage=LEAD&limit=5", h("k-admin", null), null);
    contract.call("GET", "/api/v1/leads?limit=0", h("k-admin", null), null);
    contract.call("GET", "/api/v1/leads?ruleset=oa&condition=contact.scroe%3E1", h("k-admin", null), null);
    contract.call("GET", "/api/v1/funnel", h("k-admin", null), null);
    contract.call("GET", "/api/v1/funnel?ruleset=oa-none&condition=contact.score%3E1", h("k-admin", null), null);
    RawHttp.Answer run = contract.call("POST", "/api/v1/batch-runs", h("k-admin", JSON),
        "{\"ruleset\": \"oa\", \"event\": \"page_visit\", \"filter\": \"contact.score >= 1\"}");
    contract.call("POST", "/api/v1/batch-runs", h("k-admin", JSON), "{\"ruleset\": \"oa\", \"event\": \"page_visit\", \"filter\": \"contact.scroe >= 1\"}");
    contract.call("POST", "/api/v1/batch-runs", h("k-admin", JSON), "{\"ruleset\": \"oa-none\"}");
    contract.call("POST", "/api/v1/batch-runs", h("k-admin", JSON), "{\"ruleset\": \"oa\", \"event\": \"no_such_event\"}");
    contract.call("GET", "/api/v1/batch-runs/" + run.json().path("id").asText(), h("k-admin", null), null);
    contract.call("GET", "/api/v1/batch-runs/oa-nope", h("k-admin", null), null);

    // Simulations.
    String period = "\"from\": \"2026-10-01T00:00:00Z\", \"until\": \"2026-11-01T00:00:00Z\"";
    RawHttp.Answer simulation = contract.call("POST", "/api/v1/simulations", h("k-author", JSON),
        "{\"ruleset\": \"oa\", \"candidate\": {\"version\": 1}, " + period + "}");
    contract.call("POST", "/api/v1/simulations", h("k-author", JSON),
        "{\"ruleset\": \"oa\", \"candidate\": {\"files\": {\"oa.rules\": \"scoring\"}}, " + period + "}");
    contract.call("POST", "/api/v1/simulations", h("k-author", JSON),
        "{\"ruleset\": \"oa\", \"candidate\": {\"files\": {" + many(101) + "}}, " + period + "}");
    contract.call("POST", "/api/v1/simulations", h("k-author", JSON),
        "{\"ruleset\": \"oa\", \"candidate\": {\"version\": 99}, " + period + "}");
    contract.call("POST", "/api/v1/simulations", h("k-author", JSON),
        "{\"ruleset\": \"oa\", \"candidate\": {\"version\": 1}, \"filter\": \"contact.scroe > 1\", " + period + "}");
    contract.call("POST", "/api/v1/simulations", h("k-author", JSON), "{\"ruleset\": \"oa\", \"candidate\": {}}");
    contract.call("GET", "/api/v1/simulations/" + simulation.json().path("id").asText(), h("k-author", null), null);
    contract.call("POST", "/api/v1/simulations/" + simulation.json().path("id").asText() + "/cancel",
        h("k-author", null), null);
    contract.call("GET", "/api/v1/simulations/oa-nope", h("k-author", null), null);

    contract.walkCommonFailures(OpenApiContractIT::wrongRole, "k-admin");

    assertThat(contract.violations()).isEmpty();
    // The walk met every kind of answer it is meant to check.
    assertThat(contract.statuses()).contains("200 -", "201 -", "202 -", "400 bad-request", "401 unauthorized",
        "403 forbidden", "404 not-found", "413 payload-too-large", "413 ruleset-too-large",
        "415 unsupported-media-type", "422 invalid-ruleset", "422 invalid-condition");
  }

  static Map<String, String> h(String key, String contentType) {
    return OpenApiContract.headers(key, contentType);
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\n", "\\n").replace("\"", "\\\"") + "\"";
  }

  // n empty .rules files: more than relais.rulesets.max-files.
  private static String many(int n) {
    StringBuilder files = new StringBuilder();
    for (int i = 0; i < n; i++) {
      files.append(i == 0 ? "" : ", ").append("\"f").append(i).append(".rules\": \"\"");
    }
    return files.toString();
  }
}
