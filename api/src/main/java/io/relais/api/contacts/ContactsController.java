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
import io.relais.engine.store.ContactAliasException;
import io.relais.engine.store.ContactBusyException;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.EventRecorder;
import io.relais.engine.store.PendingEvent;
import io.relais.engine.store.ProfileUpdate;
import io.relais.engine.store.Redemptions;
import io.relais.engine.store.StoredContact;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Stored contacts: profiles, state, history, events recorded and applied, rewards (docs/api.md). */
@RestController
@RequestMapping("/api/v1/contacts")
@Tag(name = "Contacts")
public class ContactsController {

  /** Most contacts in one bulk request. */
  static final int MAX_BULK = 1_000;
  /** Most events listed at once. */
  static final int MAX_LIMIT = 500;

  private final ContactStore contacts;
  private final EventLog events;
  private final EventRecorder recorder;
  private final Redemptions redemptions;
  private final RulesetChoice rulesets;
  private final DecisionMetrics metrics;
  private final ObjectMapper json;
  private final Clock clock;
  private final int maxAttempts;

  public ContactsController(ContactStore contacts, EventLog events, EventRecorder recorder, Redemptions redemptions,
      RulesetChoice rulesets, DecisionMetrics metrics, ObjectMapper json, Clock clock,
      io.relais.api.config.EventsProperties properties) {
    this.contacts = contacts;
    this.events = events;
    this.recorder = recorder;
    this.redemptions = redemptions;
    this.rulesets = rulesets;
    this.metrics = metrics;
    this.json = json;
    this.clock = clock;
    this.maxAttempts = properties.maxAttempts();
  }

  @Operation(summary = "Create or replace a contact's profile; rule-managed state only where given")
  @ApiResponse(responseCode = "201", description = "created")
  @ApiResponse(responseCode = "200", description = "replaced")
  @ApiResponse(responseCode = "400", description = "bad-request: a bad id, a body id other than the URL's, an invalid contact")
  @ApiResponse(responseCode = "409", description = "conflict: the contact changed concurrently on every attempt; send the same request again (`retryable`); merged: the contact was merged into another one (`mergedInto`), write that one")
  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> put(@PathVariable String id, @RequestBody JsonNode body) {
    ContactRequests.contactId(id);
    ProfileUpdate update = ContactRequests.profile(json, body, id);
    Instant now = clock.instant();
    try {
      ContactStore.Put put = contacts.put(update, now, maxAttempts);
      return ResponseEntity.status(put.created() ? HttpStatus.CREATED : HttpStatus.OK)
          .body(contacts.toJson(put.contact(), now));
    } catch (ContactBusyException e) {
      throw ContactRequests.busy(e);
    } catch (ContactAliasException e) {
      // Replacing the merged contact's profile with the alias's would undo the merge's choice.
      throw ContactRequests.alias(e.contactId(), e.target());
    }
  }

  @Operation(summary = "Store many contacts: a JSON array or NDJSON (one contact per line)")
  @PostMapping(path = "/_bulk", consumes = {MediaType.APPLICATION_JSON_VALUE, "application/x-ndjson"})
  public Map<String, Object> bulk(@RequestBody String body,
      @RequestHeader(value = "Content-Type", required = false) String contentType) {
    List<JsonNode> items = parseBulk(body, contentType);
    if (items.size() > MAX_BULK) {
      throw ApiException.badRequest("At most " + MAX_BULK + " contacts per request; got " + items.size() + ".");
    }
    List<Map<String, Object>> errors = new ArrayList<>();
    List<ProfileUpdate> valid = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String id = item != null && item.hasNonNull("id") ? item.get("id").asText() : null;
      try {
        ContactRequests.contactId(id);
        valid.add(ContactRequests.profile(json, item, id));
        positions.add(i);
      } catch (ApiException e) {
        errors.add(error(i, id, e.getMessage()));
      }
    }
    int created = 0;
    int updated = 0;
    for (ContactStore.BulkItem item : contacts.putAll(valid, clock.instant())) {
      if (item.error() != null) {
        errors.add(error(positions.get(item.index()), item.id(), item.error()));
      } else if (item.created()) {
        created++;
      } else {
        updated++;
      }
    }
    errors.sort(Comparator.comparing(e -> (Integer) e.get("index")));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("created", created);
    answer.put("updated", updated);
    answer.put("failed", errors.size());
    answer.put("errors", errors);
    return answer;
  }

  private List<JsonNode> parseBulk(String body, String contentType) {
    List<JsonNode> items = new ArrayList<>();
    if (contentType != null && contentType.startsWith("application/x-ndjson")) {
      String[] lines = body.split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (!lines[i].isBlank()) {
          items.add(ContactRequests.readJson(json, lines[i], "Line " + (i + 1) + " of the body", i));
        }
      }
      return items;
    }
    JsonNode array = ContactRequests.readJson(json, body, "The request body", 0);
    if (array == null || !array.isArray()) {
      throw ApiException.badRequest("Send a JSON array of contacts, or NDJSON (application/x-ndjson).");
    }
    array.forEach(items::add);
    return items;
  }

  private static Map<String, Object> error(int index, String id, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("index", index);
    error.put("id", id);
    error.put("message", message);
    return error;
  }

  @Operation(summary = "A contact's profile and state: score, stage, tags, segments, points, tier, ledger,"
      + " enrollments, alerts")
  @ApiResponse(responseCode = "200", description = "the contact, with its unexpired points")
  @ApiResponse(responseCode = "404", description = "not-found: unknown contact")
  @GetMapping("/{id}")
  public Map<String, Object> get(@PathVariable String id) {
    ContactRequests.contactId(id);
    StoredContact stored = contacts.resolve(id)
        .orElseThrow(() -> ApiException.notFound("No contact with id \"" + id + "\"."));
    return answer(contacts, stored, clock.instant());
  }

  /** A contact as the API shows it; a merged one with {@code mergedFrom}, the ids merged into it. */
  static Map<String, Object> answer(ContactStore contacts, StoredContact stored, Instant now) {
    Map<String, Object> json = contacts.toJson(stored.contact(), now);
    if (!stored.mergedFrom().isEmpty()) {
      json.put("mergedFrom", stored.mergedFrom());
    }
    return json;
  }

  @Operation(summary = "A contact's recorded events, newest first")
  @ApiResponse(responseCode = "200", description = "the recorded events, newest first")
  @ApiResponse(responseCode = "404", description = "not-found: unknown contact")
  @GetMapping("/{id}/events")
  public List<Map<String, Object>> history(@PathVariable String id,
      @Parameter(description = "how many, 1 to 500") @RequestParam(defaultValue = "50") int limit) {
    ContactRequests.contactId(id);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit is 1 to " + MAX_LIMIT + ".");
    }
    StoredContact stored = contacts.resolve(id)
        .orElseThrow(() -> ApiException.notFound("No contact with id \"" + id + "\"."));
    // Events whose recording is not finished are still in the outbox: list them too.
    Map<Object, Map<String, Object>> byId = new LinkedHashMap<>();
    for (PendingEvent pending : stored.outbox()) {
      byId.put(pending.eventId(), EventLog.listed(pending));
    }
    for (Map<String, Object> event : events.newest(stored.owners(), limit)) {
      byId.putIfAbsent(event.get("id"), event);
    }
    return byId.values().stream()
        // As the index sorts them: by `at`, then by when they were recorded (events in the
        // outbox, which holds the last seconds' events, included).
        .sorted(Comparator.comparing((Map<String, Object> e) -> String.valueOf(e.get("at")), this::newestFirst)
            .thenComparing(e -> String.valueOf(e.get("recordedAt")), this::newestFirst))
        .limit(limit)
        .toList();
  }

  private int newestFirst(String a, String b) {
    return Instant.parse(b).compareTo(Instant.parse(a));
  }

  @Operation(summary = "Record one event, decide on it with the active ruleset and apply the decision;"
      + " a repeated event id answers the first decision with \"replayed\": true")
  @ApiResponse(responseCode = "200", description = "the decision",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
  @ApiResponse(responseCode = "404", description = "not-found: the named ruleset has no active version, or none is active")
  @ApiResponse(responseCode = "409", description = "conflict: the contact changed concurrently on every attempt; send the same request again (`retryable`)")
  @PostMapping(path = "/{id}/events", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<byte[]> postEvent(@PathVariable String id, @RequestBody EventRequest request,
      @Parameter(description = "the ruleset; default relais.events.ruleset or the only active one")
      @RequestParam(required = false) String ruleset,
      @Parameter(description = TraceParameter.DESCRIPTION, schema = @Schema(allowableValues = {"fired", "all", "none"}))
      @RequestParam(required = false) String trace) {
    ContactRequests.contactId(id);
    TraceMode mode = TraceParameter.of(trace);
    Event event = ContactRequests.event(request, clock.instant());
    RulesetVersion version = rulesets.choose(ruleset);
    // The decision's text as recorded (with the default trace), not the map written out again;
    // sent with its length.
    byte[] answer = record(recorder, metrics, id, event, version, mode).answer();
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
  }

  static EventRecorder.Outcome record(EventRecorder recorder, DecisionMetrics metrics, String contactId, Event event,
      RulesetVersion version, TraceMode trace) {
    long start = System.nanoTime();
    EventRecorder.Outcome outcome;
    try {
      outcome = recorder.record(contactId, event, version.compiled(), trace);
    } catch (ContactBusyException e) {
      throw ContactRequests.busy(e);
    }
    metrics.event(outcome.replayed());
    if (!outcome.replayed()) {
      metrics.decided(outcome.decision(), Duration.ofNanos(System.nanoTime() - start), "events");
    }
    return outcome;
  }

  @Operation(summary = "Redeem a reward: its cost comes off the balance, soonest-expiring points first")
  @ApiResponse(responseCode = "200", description = "redeemed")
  @ApiResponse(responseCode = "404", description = "not-found: unknown contact or reward, or no active ruleset")
  @ApiResponse(responseCode = "409", description = "insufficient-points: the balance does not cover the cost (`cost`, `balance`); conflict: the contact changed concurrently on every attempt; send the same request again (`retryable`)")
  @PostMapping("/{id}/rewards/{reward}/redeem")
  public Map<String, Object> redeem(@PathVariable String id, @PathVariable String reward,
      @RequestParam(required = false) String ruleset) {
    ContactRequests.contactId(id);
    RulesetVersion version = rulesets.choose(ruleset);
    Redemptions.Result result;
    try {
      result = redemptions.redeem(id, reward, version.compiled().checked());
    } catch (ContactBusyException e) {
      throw ContactRequests.busy(e);
    }
    if (result instanceof Redemptions.UnknownContact) {
      throw ApiException.notFound("No contact with id \"" + id + "\".");
    }
    if (result instanceof Redemptions.UnknownReward) {
      throw ApiException.notFound("Ruleset \"" + version.name() + "\" declares no reward \"" + reward + "\".");
    }
    if (result instanceof Redemptions.TooLow low) {
      throw new ApiException(HttpStatus.CONFLICT, "insufficient-points", "Insufficient points",
          "Reward \"" + reward + "\" costs " + low.cost().toPlainString() + " points; the balance is "
              + low.balance().toPlainString() + ".",
          Map.of("cost", low.cost(), "balance", low.balance()));
    }
    Redemptions.Redeemed redeemed = (Redemptions.Redeemed) result;
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("contactId", id);
    answer.put("ruleset", version.name());
    answer.put("reward", reward);
    answer.put("cost", redeemed.cost());
    answer.put("balance", redeemed.balance());
    answer.put("ledger", contacts.toJson(redeemed.contact(), clock.instant()).get("ledger"));
    return answer;
  }
}
