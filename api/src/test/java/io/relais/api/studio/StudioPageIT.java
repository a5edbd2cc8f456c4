package io.relais.api.studio;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * The studio page as HTTP serves it (docs/studio.md): public static files with a Content
 * Security Policy that forbids inline scripts and framing; the author role reads what the page
 * shows (audiences, leads, the funnel, contacts) and still cannot decide or write contacts.
 */
class StudioPageIT extends StudioServer {

  @Autowired TestRestTemplate http;
  @LocalServerPort int port;

  private ResponseEntity<String> call(HttpMethod method, String path, String key, String body) {
    HttpHeaders headers = new HttpHeaders();
    if (key != null) {
      headers.set("X-API-Key", key);
    }
    if (body != null) {
      headers.setContentType(MediaType.APPLICATION_JSON);
    }
    return http.exchange(path, method, new HttpEntity<>(body, headers), String.class);
  }

  @Test
  void thePageIsServedWithoutAKeyUnderAPolicyThatAllowsNoInlineScriptAndNoFraming() {
    ResponseEntity<String> page = call(HttpMethod.GET, "/studio/", null, null);

    assertThat(page.getStatusCode().value()).isEqualTo(200);
    assertThat(page.getHeaders().getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
    String csp = page.getHeaders().getFirst("Content-Security-Policy");
    assertThat(csp).contains("script-src 'self';", "frame-ancestors 'none'", "default-src 'none'",
        "connect-src 'self'");
    assertThat(csp).doesNotContain("unsafe-eval");
    assertThat(csp.substring(csp.indexOf("script-src"), csp.indexOf(';', csp.indexOf("script-src"))))
        .doesNotContain("unsafe-inline");
    assertThat(page.getHeaders().getFirst("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.getHeaders().getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    // Every script of the page is a file: none has a body the policy would have to allow.
    Matcher scripts = Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page.getBody());
    int count = 0;
    while (scripts.find()) {
      count++;
      assertThat(scripts.group(1)).contains("src=");
      assertThat(scripts.group(2)).isBlank();
    }
    assertThat(count).isEqualTo(3);
    assertThat(page.getBody()).doesNotContainPattern("(?i)\\son[a-z]+\\s*=");
  }

  @Test
  void studioRedirectsToThePageAndItsScriptsAndWebjarsAreServedUnderThePolicy() throws Exception {
    // java.net.http does not follow redirects unless told to (TestRestTemplate does).
    HttpResponse<String> bare = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/studio")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(URI.create(bare.headers().firstValue("Location").orElseThrow()).getPath()).isEqualTo("/studio/");

    for (String path : new String[] {"/studio/js/studio.js", "/studio/js/editor-worker.js",
        "/webjars/monaco-editor/min/vs/loader.js", "/webjars/echarts/dist/echarts.min.js"}) {
      ResponseEntity<String> file = call(HttpMethod.GET, path, null, null);
      assertThat(file.getStatusCode().value()).as(path).isEqualTo(200);
      assertThat(file.getHeaders().getFirst("Content-Security-Policy")).as(path).contains("script-src 'self';");
    }
    // Only reading: the public chain matches GET and HEAD, anything else needs a key.
    assertThat(call(HttpMethod.POST, "/studio/", null, "{}").getStatusCode().value()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/studio/nothing-here.js", null, null).getStatusCode().value()).isEqualTo(404);
  }

  @Test
  void anAuthorKeyReadsWhatTheStudioShowsAndNothingMore() {
    call(HttpMethod.PUT, "/api/v1/contacts/page-it", "k-admin", "{\"firstName\": \"Page\"}");
    HttpHeaders text = new HttpHeaders();
    text.set("X-API-Key", "k-author");
    text.setContentType(MediaType.TEXT_PLAIN);
    http.exchange("/api/v1/rulesets/page-it", HttpMethod.PUT,
        new HttpEntity<>("segment \"S\"\nwhen contact.score > 1\nthen tag \"T\"\nend\n", text), String.class);

    assertThat(call(HttpMethod.POST, "/api/v1/audiences/count", "k-author",
        "{\"ruleset\": \"page-it\", \"condition\": \"contact.score >= 0\"}").getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v1/leads?limit=5", "k-author", null).getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v1/funnel", "k-author", null).getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v1/contacts/page-it", "k-author", null).getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.GET, "/api/v1/contacts/page-it/events", "k-author", null).getStatusCode().value())
        .isEqualTo(200);

    // Reading only: no contact written, no event posted, no decision asked, no batch run.
    assertThat(call(HttpMethod.PUT, "/api/v1/contacts/page-it", "k-author", "{}").getStatusCode().value()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, "/api/v1/contacts/page-it/events", "k-author", "{\"type\": \"x\"}")
        .getStatusCode().value()).isEqualTo(403);
    assertThat(call(HttpMethod.POST, "/api/v1/decisions", "k-author", "{}").getStatusCode().value()).isEqualTo(403);
    assertThat(call(HttpMethod.GET, "/api/v1/batch-runs", "k-author", null).getStatusCode().value()).isEqualTo(403);
    // A decide key reads contacts as before, but not audiences, leads or the funnel.
    assertThat(call(HttpMethod.GET, "/api/v1/contacts/page-it", "k-decide", null).getStatusCode().value()).isEqualTo(200);
    assertThat(call(HttpMethod.POST, "/api/v1/audiences/count", "k-decide",
        "{\"ruleset\": \"page-it\", \"condition\": \"contact.score >= 0\"}").getStatusCode().value()).isEqualTo(403);
    assertThat(call(HttpMethod.GET, "/api/v1/funnel", "k-decide", null).getStatusCode().value()).isEqualTo(403);
  }

  @Test
  void anAuthorTriesTheActiveVersionOrUnsavedFilesOnAStoredContactAndNothingIsStored() throws Exception {
    HttpHeaders text = new HttpHeaders();
    text.set("X-API-Key", "k-author");
    text.setContentType(MediaType.TEXT_PLAIN);
    http.exchange("/api/v1/rulesets/try-it", HttpMethod.PUT,
        new HttpEntity<>("segment \"Rich\"\nwhen contact.score > 10\nthen tag \"RICH\"\nend\n", text), String.class);
    call(HttpMethod.PUT, "/api/v1/contacts/try-it", "k-admin", "{\"firstName\": \"Try\", \"score\": 20}");

    ResponseEntity<String> active = call(HttpMethod.POST, "/api/v1/rulesets/try-it/try?trace=all", "k-author",
        "{\"contactId\": \"try-it\"}");
    assertThat(active.getStatusCode().value()).as(active.getBody()).isEqualTo(200);
    assertThat(active.getBody()).contains("\"rule\":\"Rich\"", "\"fired\":true");

    // The same contact with unsaved files in which the rule needs more points: its false part.
    ResponseEntity<String> edited = call(HttpMethod.POST, "/api/v1/rulesets/try-it/try", "k-author",
        "{\"contactId\": \"try-it\", \"trace\": \"all\", \"files\": {\"try-it.rules\":"
            + " \"segment \\\"Rich\\\"\\nwhen contact.score > 100\\nthen tag \\\"RICH\\\"\\nend\\n\"}}");
    assertThat(edited.getStatusCode().value()).as(edited.getBody()).isEqualTo(200);
    assertThat(edited.getBody()).contains("\"fired\":false", "\"why\":\"contact.score = 20 > 100\"",
        "\"falsePart\":{\"file\":\"try-it.rules\",\"line\":2,\"column\":6,\"endLine\":2,\"endColumn\":25}");

    ResponseEntity<String> invalid = call(HttpMethod.POST, "/api/v1/rulesets/try-it/try", "k-author",
        "{\"contactId\": \"try-it\", \"files\": {\"try-it.rules\": \"segment \\\"R\\\"\\nwhen contact.scroe > 1\\nthen tag \\\"R\\\"\\nend\\n\"}}");
    assertThat(invalid.getStatusCode().value()).isEqualTo(422);
    assertThat(invalid.getBody()).contains("invalid-ruleset", "unknown field contact.scroe");

    // Nothing was stored: still one version, the contact without the tag.
    assertThat(call(HttpMethod.GET, "/api/v1/rulesets/try-it", "k-author", null).getBody()).contains("\"versions\":[{\"version\":1,");
    assertThat(call(HttpMethod.GET, "/api/v1/rulesets/try-it", "k-author", null).getBody()).doesNotContain("\"version\":2");
    assertThat(call(HttpMethod.GET, "/api/v1/contacts/try-it", "k-author", null).getBody()).doesNotContain("RICH");
    assertThat(call(HttpMethod.POST, "/api/v1/rulesets/nothing-here/try", "k-author", "{\"contactId\": \"try-it\"}")
        .getStatusCode().value()).isEqualTo(404);
    assertThat(call(HttpMethod.POST, "/api/v1/rulesets/try-it/try", "k-decide", "{\"contactId\": \"try-it\"}")
        .getStatusCode().value()).isEqualTo(403);
  }
}
