package io.relais.api.decisions;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.relais.api.metrics.DecisionMetrics;
import io.relais.api.web.ApiException;
import io.relais.api.web.RequestInstant;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventRecorder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What the active ruleset decides for one contact; nothing is stored (docs/api.md). */
@RestController
@RequestMapping("/api/v1/decisions")
@Tag(name = "Decisions")
public class DecisionsController {

  private final RulesetRegistry registry;
  private final EventRecorder recorder;
  private final DecisionMetrics metrics;
  private final Clock clock;

  public DecisionsController(RulesetRegistry registry, EventRecorder recorder, DecisionMetrics metrics,
      Clock clock) {
    this.registry = registry;
    this.recorder = recorder;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * A decision request: an inline {@code contact} or a stored one by {@code contactId} (its
   * history read from the store); {@code now} defaults to the server clock; {@code event} and
   * {@code history} are optional; {@code trace} is {@code fired} (default), {@code all} or
   * {@code none}.
   */
  public record DecisionRequest(
      String ruleset, @JsonDeserialize(using = RequestInstant.class) Instant now, Contact contact, String contactId,
      TriggeringEvent event, @JsonSetter(contentNulls = Nulls.FAIL) List<HistoryEvent> history,
      @Schema(description = TraceParameter.DESCRIPTION, allowableValues = {"fired", "all", "none"}) String trace) {}

  /**
   * The event a decision is asked for: as a posted event, {@code type} is required and {@code
   * at} defaults to the decision's {@code now}; {@code id} is optional (nothing is recorded).
   */
  public record TriggeringEvent(String id, String type, @JsonDeserialize(using = RequestInstant.class) Instant at,
      Map<String, Object> attributes) {

    Event at(Instant now) {
      if (type == null || type.isBlank()) {
        throw ApiException.badRequest("The event needs a \"type\", such as \"page_visit\".");
      }
      return new Event(id, type, at == null ? now : at, attributes);
    }
  }

  @Operation(summary = "Evaluate the active version of a ruleset for one contact, without side effects")
  @ApiResponse(responseCode = "200", description = "the decision")
  @ApiResponse(responseCode = "404", description = "not-found: the ruleset has no active version, or the contact is unknown")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> decide(@RequestBody DecisionRequest request,
      @Parameter(description = TraceParameter.DESCRIPTION, schema = @Schema(allowableValues = {"fired", "all", "none"}))
      @RequestParam(required = false) String trace) {
    long start = System.nanoTime();
    TraceMode mode = TraceParameter.of(trace, request.trace());
    if (request.ruleset() == null || request.ruleset().isBlank()) {
      throw ApiException.badRequest("Name the ruleset: {\"ruleset\": \"...\"}.");
    }
    if ((request.contact() == null) == (request.contactId() == null)) {
      throw ApiException.badRequest("Send either a contact or a contactId, not both and not neither.");
    }
    if (request.contactId() != null && !ContactStore.isValidId(request.contactId())) {
      throw ApiException.badRequest("A contactId is 1 to " + ContactStore.MAX_ID_BYTES
          + " bytes of UTF-8 without control characters, not blank.");
    }
    RulesetVersion version = registry.active(request.ruleset())
        .orElseThrow(() -> ApiException.notFound("No active ruleset named \"" + request.ruleset() + "\"."));
    Instant now = request.now() == null ? clock.instant() : request.now();
    List<Event> given = request.history() == null ? List.of()
        : request.history().stream().map(HistoryEvent::event).toList();
    List<String> warnings = new ArrayList<>();
    Contact contact;
    List<Event> history;
    if (request.contact() != null) {
      contact = request.contact();
      history = given;
    } else {
      EventRecorder.Facts facts = recorder.facts(request.contactId(), version.compiled(), now, warnings)
          .orElseThrow(() -> ApiException.notFound("No contact with id \"" + request.contactId() + "\"."));
      contact = facts.contact();
      history = merged(facts.history(), given);
    }
    Optional<Event> event = Optional.ofNullable(request.event()).map(e -> e.at(now));
    Evaluation evaluation = version.compiled().evaluate(contact, event, history, now);
    Map<String, Object> answer = evaluation.toJson(mode);
    if (!warnings.isEmpty() && answer.get("warnings") instanceof List<?> list) {
      List<Object> all = new ArrayList<>(list);
      all.addAll(warnings);
      answer.put("warnings", all);
    }
    // The rules that fired counted whatever part of the trace the answer carries.
    metrics.decided(answer, evaluation.firedRules(), Duration.ofNanos(System.nanoTime() - start), "decisions");
    return answer;
  }

  // Stored events first; a given event with a stored id counts once.
  private static List<Event> merged(List<Event> stored, List<Event> given) {
    Map<Object, Event> byId = new LinkedHashMap<>();
    List<Event> withoutId = new ArrayList<>();
    for (Event event : stored) {
      byId.put(event.id(), event);
    }
    for (Event event : given) {
      if (event.id() == null) {
        withoutId.add(event);
      } else {
        byId.putIfAbsent(event.id(), event);
      }
    }
    List<Event> all = new ArrayList<>(byId.values());
    all.addAll(withoutId);
    return all;
  }
}
