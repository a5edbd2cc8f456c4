package io.relais.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks answers of the running service against what it documents: every answered (path,
 * method, status) must be a response of that operation in the OpenAPI document the service
 * serves, every failure must be a problem whose type that response's description names, and
 * whose type and status docs/api.md's problem table lists. Also walks every documented
 * operation with the failures any call can meet (no key, a key without the role, a body over the
 * limit, a wildcard or unsupported Content-Type, malformed JSON, an Accept without JSON).
 */
final class OpenApiContract {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern API_MD_ROW = Pattern.compile("^\\| `([a-z-]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

  /** One answer of the service, and the call that got it. */
  record Seen(String method, String target, String template, int status, String problemType, String call) {}

  private final int port;
  private final JsonNode document;
  private final Set<String> apiMd;
  private final List<Seen> seen = new ArrayList<>();

  OpenApiContract(int port) throws IOException {
    this.port = port;
    RawHttp.Answer docs = RawHttp.send(port, "GET", "/v3/api-docs", Map.of(), null);
    if (docs.status() != 200) {
      throw new AssertionError("/v3/api-docs answered " + docs.status());
    }
    Files.writeString(Path.of("target", "openapi-" + port + ".json"), docs.body()); // for reading a failure
    this.document = docs.json();
    this.apiMd = apiMdProblems(Files.readString(Path.of("..", "docs", "api.md")));
  }

  /** "type status" for every row of docs/api.md's problem table. */
  static Set<String> apiMdProblems(String markdown) {
    Set<String> rows = new LinkedHashSet<>();
    Matcher row = API_MD_ROW.matcher(markdown);
    while (row.find()) {
      rows.add(row.group(1) + " " + row.group(2));
    }
    return rows;
  }

  /** Sends one call and records its answer. */
  RawHttp.Answer call(String method, String target, Map<String, String> headers, String body) throws IOException {
    RawHttp.Answer answer = RawHttp.send(port, method, target, headers, body);
    String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
    String template = template(path).orElse("(no documented path) " + path);
    String type = answer.status() >= 400 ? answer.problemType() : "-";
    seen.add(new Seen(method, target, template, answer.status(), type,
        method + " " + target + " " + headers.keySet() + (body == null ? "" : " body of " + body.length() + " chars")));
    return answer;
  }

  /** Every documented operation under {@code /api}, as "METHOD template". */
  List<String> operations() {
    List<String> operations = new ArrayList<>();
    document.path("paths").fields().forEachRemaining(path -> {
      if (path.getKey().startsWith("/api/")) {
        path.getValue().fieldNames().forEachRemaining(method ->
            operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey()));
      }
    });
    return operations;
  }

  /** The media types an operation's body may have (empty when it takes none). */
  List<String> bodyTypes(String operation) {
    List<String> types = new ArrayList<>();
    operation(operation).path("requestBody").path("content").fieldNames().forEachRemaining(types::add);
    return types;
  }

  /**
   * Calls every documented operation with the failures any call can meet; {@code wrongRole}
   * gives, for a path, a key that lacks the role it needs, {@code admin} a key with every role.
   */
  void walkCommonFailures(java.util.function.Function<String, String> wrongRole, String admin) throws IOException {
    for (String operation : operations()) {
      String method = operation.substring(0, operation.indexOf(' '));
      String template = operation.substring(operation.indexOf(' ') + 1);
      String target = sample(template);
      List<String> types = bodyTypes(operation);
      String type = types.isEmpty() ? null : types.get(0);
      String body = type == null ? null : type.contains("json") ? "{}" : "x";
      call(method, target, headers(null, type), body);
      call(method, target, headers(wrongRole.apply(template), type), body);
      call(method, target, headers(admin, "application/json"), "{\"x\": \"" + "x".repeat(20_000) + "\"}");
      call(method, target, headers(admin, "*/*"), "{}");
      if (type != null) {
        call(method, target, headers(admin, "application/xml"), "<x/>");
      }
      if (types.contains("application/json")) {
        call(method, target, headers(admin, "application/json"), "{\"ruleset\": ");
      }
      Map<String, String> pngOnly = headers(admin, type);
      pngOnly.put("Accept", "image/png");
      call(method, target, pngOnly, body);
    }
  }

  static Map<String, String> headers(String key, String contentType) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (key != null) {
      headers.put("X-API-Key", key);
    }
    if (contentType != null) {
      headers.put("Content-Type", contentType);
    }
    return headers;
  }

  // A path of the template with sample parameters.
  private static String sample(String template) {
    return template.replace("{name}", "oa").replace("{version}", "1").replace("{id}", "oa-nobody")
        .replace("{reward}", "nothing").replaceAll("\\{[^}]+}", "x");
  }

  private Optional<String> template(String path) {
    List<String> matches = new ArrayList<>();
    document.path("paths").fieldNames().forEachRemaining(template -> {
      String regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
      if (path.matches(regex)) {
        matches.add(template);
      }
    });
    // A literal segment (/contacts/_bulk) wins over a parameter (/contacts/{id}).
    return matches.stream().min(Comparator.comparingInt(t -> t.split("\\{", -1).length));
  }

  private JsonNode operation(String operation) {
    String method = operation.substring(0, operation.indexOf(' ')).toLowerCase(Locale.ROOT);
    String template = operation.substring(operation.indexOf(' ') + 1);
    return document.path("paths").path(template).path(method);
  }

  /** The answers seen so far: "status type" (type "-" for success). */
  Set<String> statuses() {
    Set<String> statuses = new java.util.TreeSet<>();
    seen.forEach(s -> statuses.add(s.status() + " " + s.problemType()));
    return statuses;
  }

  /** Every answer that the OpenAPI document or docs/api.md does not describe, with why. */
  List<String> violations() {
    List<String> violations = new ArrayList<>();
    for (Seen s : seen) {
      JsonNode operation = operation(s.method() + " " + s.template());
      if (operation.isMissingNode()) {
        violations.add(s.call() + ": " + s.method() + " " + s.template() + " is not in the OpenAPI document");
        continue;
      }
      JsonNode response = operation.path("responses").path(Integer.toString(s.status()));
      if (response.isMissingNode()) {
        violations.add(s.call() + ": answered " + s.status() + " " + s.problemType() + ", not documented for "
            + s.method() + " " + s.template());
        continue;
      }
      if (s.status() < 400) {
        continue;
      }
      if (s.problemType().startsWith("not a problem")) {
        violations.add(s.call() + ": answered " + s.status() + " that is " + s.problemType());
        continue;
      }
      if (!response.path("content").has("application/problem+json")) {
        violations.add(s.call() + ": " + s.status() + " is not documented as application/problem+json");
      }
      String description = response.path("description").asText();
      if (!Pattern.compile("(^|[ ;])" + Pattern.quote(s.problemType()) + ":").matcher(description).find()) {
        violations.add(s.call() + ": answered " + s.status() + " " + s.problemType()
            + ", a type the OpenAPI description of that status does not name: " + description);
      }
      if (!apiMd.contains(s.problemType() + " " + s.status())) {
        violations.add(s.call() + ": answered " + s.status() + " " + s.problemType()
            + ", not in docs/api.md's problem table");
      }
    }
    return violations;
  }
}
