package io.relais.api.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.contacts.ContactRequests.EventRequest;
import io.relais.api.decisions.TraceParameter;
import io.relais.api.metrics.DecisionMetrics;
import io.relais.api.web.ApiException;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.EventRecorder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Many events at once, each for its own contact, each recorded and applied as one (docs/api.md). */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "Events")
public class EventsController {

  /** Most events in one bulk request. */
  static final int MAX_BULK = 1_000;

  private final EventRecorder recorder;
  private final RulesetChoice rulesets;
  private final DecisionMetrics metrics;
  private final Clock clock;
  private final ObjectMapper json;

  public EventsController(EventRecorder recorder, RulesetChoice rulesets, DecisionMetrics metrics, Clock clock,
      ObjectMapper json) {
    this.recorder = recorder;
    this.rulesets = rulesets;
    this.metrics = metrics;
    this.clock = clock;
    this.json = json;
  }

  @Operation(summary = "Record many events (each with its contactId), in order; one result per event")
  @ApiResponse(responseCode = "200", description = "one item per event, in order; an invalid item fails alone")
  @ApiResponse(responseCode = "404", description = "not-found: the named ruleset has no active version, or none is active")
  @PostMapping(path = "/_bulk", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> bulk(@RequestBody List<JsonNode> requests,
      @Parameter(description = "the ruleset; default relais.events.ruleset or the only active one")
      @RequestParam(required = false) String ruleset,
      @Parameter(description = TraceParameter.DESCRIPTION, schema = @Schema(allowableValues = {"fired", "all", "none"}))
      @RequestParam(required = false) String trace) {
    TraceMode mode = TraceParameter.of(trace);
    if (requests == null) {
      throw ApiException.badRequest("Send a JSON array of events, each with its contactId.");
    }
    if (requests.size() > MAX_BULK) {
      throw ApiException.badRequest("At most " + MAX_BULK + " events per request; got " + requests.size() + ".");
    }
    RulesetVersion version = rulesets.choose(ruleset);
    List<Map<String, Object>> items = new ArrayList<>();
    int applied = 0;
    int replayed = 0;
    int failed = 0;
    for (JsonNode given : requests) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("contactId", text(given, "contactId"));
      item.put("id", text(given, "id"));
      try {
        EventRequest request = ContactRequests.eventItem(json, given);
        String contactId = ContactRequests.contactId(request == null ? null : request.contactId());
        Event event = ContactRequests.event(request, clock.instant());
        EventRecorder.Outcome outcome = ContactsController.record(recorder, metrics, contactId, event, version, mode);
        item.put("status", 200);
        item.put("decision", outcome.json());
        if (outcome.replayed()) {
          replayed++;
        } else {
          applied++;
        }
      } catch (ApiException e) {
        item.put("status", e.status().value());
        item.put("error", e.getMessage());
        failed++;
      }
      items.add(item);
    }
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("applied", applied);
    answer.put("replayed", replayed);
    answer.put("failed", failed);
    answer.put("items", items);
    return answer;
  }

  // A member of an item as it was sent, when it is a text (echoed in the item's result).
  private static String text(JsonNode item, String member) {
    JsonNode value = item == null ? null : item.get(member);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}
