package io.relais.api.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generates requests for the fuzz test: every operation of the API with bodies, headers, content
 * types, paths and query strings drawn from a seeded random source, starting from a valid call
 * and breaking it in the ways clients (and attackers) do. The same seed gives the same requests.
 */
final class RequestFuzzer {

  /** One generated request; {@code operation} names the valid call it was derived from. */
  record Request(String operation, String method, String target, Map<String, String> headers, String body) {
    @Override
    public String toString() {
      String shownBody = body == null ? "(no body)"
          : body.length() > 300 ? body.substring(0, 300) + "... (" + body.length() + " chars)" : body;
      String shownTarget = target.length() > 300 ? target.substring(0, 300) + "... (" + target.length() + " chars)" : target;
      return "[" + operation + "] " + method + " " + shownTarget + " " + headers + " " + shownBody;
    }
  }

  /** A valid call of one operation: the template the generator starts from. */
  private record Seed(String method, String path, String key, String contentType, String body) {}

  private static final String RULES = """
      ruleset "fuzz"

      scoring "Visit"
      when
        event is page_visit and event.url matches "/financing/*"
      then
        add 1 to score
        tag "FINANCING_LEASING"
      end
      """;

  private static final String CONTACT = """
      {"id": "fz-1", "firstName": "Jean", "score": 12, "stage": "MQL", "tags": {"FINANCING_LEASING": 2},
       "owner": "marc@acme.fr", "consent": {"email": true}, "attributes": {"budget": 1000}}""";

  private static final String EVENT = """
      {"id": "fz-e1", "type": "page_visit", "at": "2026-11-22T10:00:00Z",
       "attributes": {"url": "/financing/leasing/offers"}}""";

  private static final List<Seed> SEEDS = List.of(
      new Seed("POST", "/api/v1/decisions", "k-decide", "application/json",
          "{\"ruleset\": \"acme-auto\", \"now\": \"2026-11-22T10:00:00Z\", \"contact\": " + CONTACT
              + ", \"event\": " + EVENT + ", \"history\": [" + EVENT + "]}"),
      new Seed("POST", "/api/v1/decisions", "k-decide", "application/json",
          "{\"ruleset\": \"shop-loyalty\", \"contactId\": \"fz-1\", \"event\": {\"type\": \"purchase\","
              + " \"attributes\": {\"order\": \"A-1\", \"amount\": 620}}}"),
      new Seed("PUT", "/api/v1/contacts/fz-1", "k-decide", "application/json", CONTACT),
      new Seed("POST", "/api/v1/contacts/_bulk", "k-decide", "application/json", "[" + CONTACT + ", {\"id\": \"fz-2\"}]"),
      new Seed("POST", "/api/v1/contacts/_bulk", "k-decide", "application/x-ndjson", "{\"id\": \"fz-3\"}\n{\"id\": \"fz-4\"}\n"),
      new Seed("GET", "/api/v1/contacts/fz-1", "k-decide", null, null),
      new Seed("GET", "/api/v1/contacts/fz-1/events?limit=5", "k-decide", null, null),
      new Seed("POST", "/api/v1/contacts/fz-1/events?ruleset=acme-auto", "k-decide", "application/json", EVENT),
      new Seed("POST", "/api/v1/events/_bulk?ruleset=acme-auto", "k-decide", "application/json",
          "[{\"contactId\": \"fz-2\", \"id\": \"fz-e2\", \"type\": \"page_visit\", \"at\": \"2026-11-22T10:00:00Z\","
              + " \"attributes\": {\"url\": \"/financing/x\"}}]"),
      new Seed("POST", "/api/v1/contacts/fz-1/rewards/10-percent-off/redeem?ruleset=shop-loyalty", "k-decide", null, null),
      new Seed("POST", "/api/v1/rulesets/fuzz/validate", "k-author", "text/plain", RULES),
      new Seed("PUT", "/api/v1/rulesets/fuzz", "k-author", "text/plain", RULES),
      new Seed("PUT", "/api/v1/rulesets/fuzz?activate=false", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}}"),
      new Seed("GET", "/api/v1/rulesets", "k-author", null, null),
      new Seed("GET", "/api/v1/rulesets/acme-auto", "k-author", null, null),
      new Seed("GET", "/api/v1/rulesets/acme-auto/versions/1", "k-author", null, null),
      new Seed("POST", "/api/v1/rulesets/fuzz/versions/1/activate", "k-author", null, null),
      new Seed("POST", "/api/v1/language/diagnostics", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}, \"file\": \"fuzz.rules\", \"line\": 1, \"column\": 1}"),
      new Seed("POST", "/api/v1/language/completion", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}, \"file\": \"fuzz.rules\", \"line\": 6, \"column\": 12}"),
      new Seed("POST", "/api/v1/language/hover", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}, \"file\": \"fuzz.rules\", \"line\": 6, \"column\": 20}"),
      new Seed("POST", "/api/v1/language/definition", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}, \"file\": \"fuzz.rules\", \"line\": 9, \"column\": 10}"),
      new Seed("POST", "/api/v1/language/symbols", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}, \"file\": \"fuzz.rules\", \"line\": 1, \"column\": 1}"),
      new Seed("POST", "/api/v1/language/format", "k-author", "application/json",
          "{\"files\": {\"fuzz.rules\": " + quoted(RULES) + "}, \"file\": \"fuzz.rules\", \"line\": 1, \"column\": 1}"),
      new Seed("POST", "/api/v1/audiences/count", "k-admin", "application/json",
          "{\"ruleset\": \"acme-auto\", \"condition\": \"contact.score >= 50 and has tag \\\"FINANCING_LEASING\\\"\"}"),
      new Seed("GET", "/api/v1/leads?stage=MQL&limit=10", "k-admin", null, null),
      new Seed("GET", "/api/v1/funnel?ruleset=acme-auto&condition=contact.score%3E1", "k-admin", null, null),
      new Seed("POST", "/api/v1/batch-runs", "k-admin", "application/json",
          "{\"ruleset\": \"acme-auto\", \"event\": \"daily\", \"filter\": \"contact.score >= 1000000\"}"),
      new Seed("GET", "/api/v1/batch-runs/fz-run", "k-admin", null, null),
      new Seed("POST", "/api/v1/simulations", "k-author", "application/json",
          "{\"ruleset\": \"acme-auto\", \"candidate\": {\"version\": 1}, \"from\": \"2026-10-01T00:00:00Z\","
              + " \"until\": \"2026-10-02T00:00:00Z\", \"filter\": \"contact.score >= 1000000\"}"),
      new Seed("GET", "/api/v1/simulations/fz-simulation", "k-author", null, null),
      new Seed("GET", "/actuator/health", null, null, null),
      new Seed("GET", "/actuator/health/liveness", null, null, null),
      new Seed("GET", "/v3/api-docs", null, null, null));

  private static final List<String> KEYS = List.of("k-admin", "k-author", "k-decide", "k-nobody", "", "k-admin ");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
      "TRACE", "CONNECT", "PROPFIND", "get");
  private static final List<String> CONTENT_TYPES = List.of("application/json", "text/plain", "application/x-ndjson",
      "multipart/form-data", "multipart/form-data; boundary=xyz", "application/x-www-form-urlencoded",
      "application/yaml", "application/xml", "text/xml", "*/*", "application/*", "garbage", "",
      "application/json; charset=ISO-8859-1", "application/json; charset=nope", "text/plain; charset=UTF-16",
      "application/problem+json", "application/cbor", "application/smile", "application/json;;;");
  private static final List<String> ACCEPTS = List.of("*/*", "application/json", "application/problem+json",
      "garbage", "image/png", "text/html", "application/xml", "text/plain", "application/yaml", "",
      "application/json;q=0", "*/*;q=nope", "text/event-stream");
  private static final List<String> SEGMENTS = List.of("x", "fz-1", "acme-auto", "", "%00", "%2F", "%ff", "%61",
      "..", ".", ";x", "a;b", "%25", "%20", "é", "%C3%A9", "%E2%80%AE", "-1", "0", "99999999999999999999",
      "_bulk", "null", "%7B%7D", "a%0Ab", "\u00e9t\u00e9", "\ud83d\ude00");
  private static final List<String> QUERY_NAMES = List.of("ruleset", "limit", "trace", "stage", "condition",
      "activate", "x", "", "ruleset[]");
  private static final List<String> QUERY_VALUES = List.of("acme-auto", "shop-loyalty", "fuzz", "all", "none",
      "fired", "-1", "0", "1", "1000000000000", "MQL", "true", "nope", "contact.score%3E1", "contact.scroe",
      "%00", "%ff", "", "contact.score%20%3E%3D%201%20and%20(", "event.url%20%3D%20%22x%22");
  private static final List<String> SCALARS = List.of("null", "true", "false", "0", "-1", "1e309", "-0.0",
      "12345678901234567890123", "1.5", "\"\"", "\"x\"", "\"2026-11-22T10:00:00Z\"", "\"9999-12-31T23:59:59Z\"",
      "\"0000-01-01T00:00:00Z\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[null]", "{\"\": null}",
      "\"" + "x".repeat(5000) + "\"", "1234567890", "\"\\u202e\"", "\"{{event.url}}\"", "\"MQL\"", "\"LEAD\"");

  private final SplittableRandom random;

  RequestFuzzer(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next request: a seed, then zero or more of the mutations below. */
  Request next() {
    Seed seed = pick(SEEDS);
    String method = seed.method();
    String target = seed.path();
    Map<String, String> headers = new LinkedHashMap<>();
    if (seed.key() != null) {
      headers.put("X-API-Key", seed.key());
    }
    if (seed.contentType() != null) {
      headers.put("Content-Type", seed.contentType());
    }
    String body = seed.body();
    int mutations = random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      switch (random.nextInt(10)) {
        case 0 -> method = pick(METHODS);
        case 1 -> target = mutatePath(target);
        case 2 -> target = mutateQuery(target);
        case 3 -> headers.put("X-API-Key", pick(KEYS));
        case 4 -> headers.put("Content-Type", pick(CONTENT_TYPES));
        case 5 -> headers.put("Accept", pick(ACCEPTS));
        case 6 -> {
          if (random.nextInt(4) == 0) {
            headers.remove(pick(List.of("X-API-Key", "Content-Type")));
          } else {
            headers.put(pick(List.of("X-Forwarded-For", "X-Forwarded-Proto", "Origin", "Range", "Expect",
                "Transfer-Encoding-X", "If-None-Match", "Accept-Charset", "Accept-Language")), pick(QUERY_VALUES));
          }
        }
        default -> body = mutateBody(body);
      }
    }
    return new Request(seed.method() + " " + seed.path(), method, target, headers, body);
  }

  private String mutatePath(String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    String rest = query < 0 ? "" : target.substring(query);
    String[] segments = path.split("/", -1);
    int at = 1 + random.nextInt(segments.length - 1);
    segments[at] = random.nextInt(8) == 0 ? "a".repeat(4100 + random.nextInt(200)) : pick(SEGMENTS);
    if (random.nextInt(6) == 0) {
      return String.join("/", segments) + "/" + pick(SEGMENTS) + rest;
    }
    return String.join("/", segments) + rest;
  }

  private String mutateQuery(String target) {
    String separator = target.contains("?") ? "&" : "?";
    return target + separator + pick(QUERY_NAMES) + "=" + pick(QUERY_VALUES);
  }

  private String mutateBody(String body) {
    String text = body == null ? "{}" : body;
    return switch (random.nextInt(9)) {
      case 0 -> replaceValue(text);
      case 1 -> replaceValue(replaceValue(text));
      case 2 -> text.substring(0, random.nextInt(text.length() + 1));
      case 3 -> dropKey(text);
      case 4 -> duplicateKey(text);
      case 5 -> deep(random.nextInt(2) == 0 ? '[' : '{', 50 + random.nextInt(3000));
      case 6 -> pick(SCALARS);
      case 7 -> rulesMutation(text);
      default -> text.replace("\"", random.nextInt(2) == 0 ? "'" : "\"\"");
    };
  }

  // A scalar or object value of the JSON text swapped for another kind of value.
  private String replaceValue(String text) {
    List<int[]> values = new ArrayList<>();
    for (int i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
      int end = i + 1;
      while (end < text.length() && ",}]\n".indexOf(text.charAt(end)) < 0) {
        end = text.charAt(end) == '"' ? closingQuote(text, end) + 1 : end + 1;
      }
      values.add(new int[] {i + 1, end});
    }
    if (values.isEmpty()) {
      return text;
    }
    int[] value = pick(values);
    return text.substring(0, value[0]) + " " + pick(SCALARS) + text.substring(Math.min(value[1], text.length()));
  }

  private static int closingQuote(String text, int open) {
    for (int i = open + 1; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.charAt(i) == '"') {
        return i;
      }
    }
    return text.length();
  }

  private String dropKey(String text) {
    int colon = text.indexOf(':', random.nextInt(Math.max(1, text.length())));
    if (colon < 0) {
      return text;
    }
    int keyStart = text.lastIndexOf('"', text.lastIndexOf('"', colon) - 1);
    return keyStart < 0 ? text : text.substring(0, keyStart) + "\"dropped\"" + text.substring(colon);
  }

  private String duplicateKey(String text) {
    int open = text.indexOf('{');
    return open < 0 ? text : text.substring(0, open + 1) + "\"id\": \"dup\", \"id\": \"dup2\", " + text.substring(open + 1);
  }

  private static String deep(char open, int depth) {
    char close = open == '[' ? ']' : '}';
    String inner = open == '[' ? "" : "\"a\": ";
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      text.append(open).append(open == '{' && i < depth - 1 ? inner : "");
    }
    return text.append(String.valueOf(close).repeat(depth)).toString();
  }

  // Rule text (the rulesets' bodies) with a token dropped, doubled or replaced: the checker
  // must answer with diagnostics, and whatever it accepts must compile and run.
  private String rulesMutation(String text) {
    String source = text.contains("scoring") ? text : RULES;
    String[] words = source.split("(?<=\\s)|(?=\\s)");
    int at = random.nextInt(words.length);
    List<String> tokens = List.of("when", "then", "end", "and", "or", "not", "(", ")", "\"", "event.url",
        "contact.score", ">", "100000000000000000000", "matches", "\"*\"", "\u0000", "rule \"a\u0000b\"",
        "scoring \"" + "n".repeat(5000) + "\"", "decision \"D\" of \"T\"", "{{event.url}}", "enroll in \"x\"");
    words[at] = switch (random.nextInt(3)) {
      case 0 -> "";
      case 1 -> words[at] + words[at];
      default -> pick(tokens);
    };
    return String.join("", words);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
  }
}
