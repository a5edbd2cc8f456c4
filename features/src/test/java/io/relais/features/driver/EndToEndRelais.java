package io.relais.features.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.relais.features.e2e.RelaisService;
import io.relais.features.e2e.ScenarioClockConfiguration;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service over REST, exactly as docs/api.md describes it: rulesets uploaded with
 * {@code PUT /rulesets/{name}}, contacts stored with {@code PUT /contacts/{id}}, events
 * posted to {@code POST /contacts/{id}/events?ruleset=NAME}, contacts read back with
 * {@code GET /contacts/{id}}. The service's clock is the scenario's.
 */
public final class EndToEndRelais implements Relais {

  /**
   * An empty ruleset: events posted with it are stored in the history and decide nothing,
   * which is what "Given the contact's history" means.
   */
  static final String HISTORY_ONLY = "features-history-only";

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final AtomicInteger SCENARIOS = new AtomicInteger();

  private final RelaisService service = RelaisService.get();
  /** Contacts are stored under ids of their own per scenario, so scenarios never share one. */
  private final String idSuffix = "-s" + SCENARIOS.incrementAndGet();
  private String ruleset;

  @Override
  public void useRuleset(RulesetFiles files) {
    upload(files.name(), files.files());
    ruleset = files.name();
  }

  private void upload(String name, Map<String, String> files) {
    // Scenarios upload only what changed: most of them share a sample ruleset.
    if (files.equals(service.uploaded().get(name))) {
      return;
    }
    send("PUT", "/api/v1/rulesets/" + encode(name), Json.write(Map.of("files", files)), 201);
    service.uploaded().put(name, files);
  }

  @Override
  public void setNow(Instant now) {
    ScenarioClockConfiguration.CLOCK.set(now);
  }

  @Override
  public void putContact(String contactId, ObjectNode contact) {
    ObjectNode body = contact.deepCopy();
    body.put("id", stored(contactId));
    send("PUT", "/api/v1/contacts/" + encode(stored(contactId)), Json.write(body), 200, 201);
  }

  @Override
  public void recordHistory(String contactId, List<ObjectNode> events) {
    upload(HISTORY_ONLY, Map.of(HISTORY_ONLY + ".rules",
        "# Stores events and decides nothing: the scenario's past.\n"));
    for (ObjectNode event : events) {
      send("POST", "/api/v1/contacts/" + encode(stored(contactId)) + "/events?ruleset=" + HISTORY_ONLY,
          Json.write(event), 200, 201);
    }
  }

  @Override
  public JsonNode applyEvent(String contactId, ObjectNode event) {
    if (ruleset == null) {
      throw new AssertionError("No ruleset: start the scenario with Given the ruleset \"...\".");
    }
    // Every rule the event could reach in the trace, not only those that fired: steps say which
    // rules did not fire, and failures show why.
    return send("POST", "/api/v1/contacts/" + encode(stored(contactId)) + "/events?ruleset=" + encode(ruleset)
        + "&trace=all", Json.write(event), 200, 201);
  }

  @Override
  public List<JsonNode> decideDueSteps(String contactId) {
    io.relais.engine.evaluation.CompiledRuleset compiled = service
        .bean(io.relais.engine.registry.RulesetRegistry.class).active(ruleset).orElseThrow()
        .compiled();
    io.relais.engine.store.EventRecorder recorder =
        service.bean(io.relais.engine.store.EventRecorder.class);
    List<JsonNode> decided = new java.util.ArrayList<>();
    for (JsonNode enrollment : contact(contactId).path("enrollments")) {
      String campaign = enrollment.path("campaign").asText();
      if (!compiled.declaresCampaign(campaign)) {
        continue;
      }
      // What the service's scheduler does for each contact it finds due (DueStepScheduler).
      while (true) {
        var outcome = recorder.recordDueStep(stored(contactId), campaign, compiled);
        if (outcome.isEmpty() || outcome.get().replayed()) {
          break;
        }
        decided.add(Json.tree(outcome.get().json()));
      }
    }
    return decided;
  }

  @Override
  public JsonNode redeem(String contactId, String reward) {
    return send("POST", "/api/v1/contacts/" + encode(stored(contactId)) + "/rewards/" + encode(reward)
        + "/redeem?ruleset=" + encode(ruleset), null, 200);
  }

  @Override
  public void merge(String into, String from) {
    send("POST", "/api/v1/contacts/" + encode(stored(into)) + "/merge", Json.write(Map.of("from", stored(from))), 200);
  }

  @Override
  public JsonNode contact(String contactId) {
    return send("GET", "/api/v1/contacts/" + encode(stored(contactId)), null, 200);
  }

  @Override
  public String describe() {
    return "end to end (" + service.url() + ", contact ids end with " + idSuffix + ")";
  }

  private String stored(String contactId) {
    return contactId + idSuffix;
  }

  private JsonNode send(String method, String path, String body, int... expected) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.url() + path))
        .timeout(Duration.ofSeconds(30))
        .header("X-API-Key", RelaisService.API_KEY)
        .header("Accept", "application/json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    HttpResponse<String> response;
    try {
      response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted during " + method + " " + path, e);
    }
    for (int status : expected) {
      if (response.statusCode() == status) {
        return response.body() == null || response.body().isBlank() ? Json.tree(Map.of()) : Json.parse(response.body());
      }
    }
    throw new AssertionError("The service answered " + method + " " + path + " with " + response.statusCode()
        + ":\n" + response.body() + (body == null ? "" : "\nRequest body: " + body));
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
