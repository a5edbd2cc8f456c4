package io.relais.api.decisions;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.relais.api.metrics.DecisionMetrics;
import io.relais.api.rulesets.DiagnosticJson;
import io.relais.api.rulesets.RulesetFileNames;
import io.relais.api.web.ApiException;
import io.relais.api.web.RequestInstant;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.dsl.check.CheckResult;
import io.relais.engine.evaluation.CompiledRuleset;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.evaluation.EvaluationJson;
import io.relais.engine.evaluation.TraceMode;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetTooLargeException;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.EventRecorder;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What a ruleset decides for one contact; nothing is stored (docs/api.md): the active version
 * ({@code POST /decisions}), or for an author the active version or unsaved files
 * ({@code POST /rulesets/{name}/try}, the studio's "Try it").
 */
@RestController
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
  @ApiResponse(responseCode = "200", description = "the decision",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
  @ApiResponse(responseCode = "404", description = "not-found: the ruleset has no active version, or the contact is unknown")
  @PostMapping(path = "/api/v1/decisions", consumes = MediaType.APPLICATION_JSON_VALUE)
  public EvaluationJson decide(@RequestBody DecisionRequest request,
      @Parameter(description = TraceParameter.DESCRIPTION, schema = @Schema(allowableValues = {"fired", "all", "none"}))
      @RequestParam(required = false) String trace) {
    long start = System.nanoTime();
    TraceMode mode = TraceParameter.of(trace, request.trace());
    if (request.ruleset() == null || request.ruleset().isBlank()) {
      throw ApiException.badRequest("Name the ruleset: {\"ruleset\": \"...\"}.");
    }
    Asked asked = new Asked(request.now(), request.contact(), request.contactId(), request.event(), request.history());
    asked.check();
    RulesetVersion version = registry.active(request.ruleset())
        .orElseThrow(() -> ApiException.notFound("No active ruleset named \"" + request.ruleset() + "\"."));
    List<String> warnings = new ArrayList<>();
    Evaluation evaluation = evaluate(version.compiled(), asked, warnings);
    // The rules that fired counted whatever part of the trace the answer carries.
    metrics.decided(evaluation, Duration.ofNanos(System.nanoTime() - start), "decisions");
    return EvaluationJson.answer(evaluation, mode, warnings);
  }

  /**
   * A trial for the studio: as a decision request, with the ruleset's {@code files} to try in
   * place of its active version (checked and compiled for this call, never stored); without
   * {@code files}, the active version.
   */
  public record TryRequest(
      @Schema(description = "file name to text: the ruleset as edited; absent: its active version") Map<String, String> files,
      @JsonDeserialize(using = RequestInstant.class) Instant now, Contact contact, String contactId,
      TriggeringEvent event, @JsonSetter(contentNulls = Nulls.FAIL) List<HistoryEvent> history,
      @Schema(description = TraceParameter.DESCRIPTION, allowableValues = {"fired", "all", "none"}) String trace) {}

  @Operation(summary = "Try the active version or unsaved files of a ruleset on one contact, without side effects")
  @ApiResponse(responseCode = "200", description = "the decision, as POST /decisions answers it",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
  @ApiResponse(responseCode = "404", description = "not-found: no files and no active version, or the contact is unknown")
  @ApiResponse(responseCode = "413", description = "ruleset-too-large: over relais.rulesets.max-size or max-files")
  @ApiResponse(responseCode = "422", description = "invalid-ruleset: the files have errors (`diagnostics`)")
  @PostMapping(path = "/api/v1/rulesets/{name}/try", consumes = MediaType.APPLICATION_JSON_VALUE)
  public EvaluationJson tryRuleset(@PathVariable String name, @RequestBody TryRequest request,
      @Parameter(description = TraceParameter.DESCRIPTION, schema = @Schema(allowableValues = {"fired", "all", "none"}))
      @RequestParam(required = false) String trace) {
    TraceMode mode = TraceParameter.of(trace, request.trace());
    if (!RulesetRegistry.isValidName(name)) {
      throw ApiException.badRequest("A ruleset name is 1 to 100 letters, digits, '.', '_' or '-': " + name);
    }
    Asked asked = new Asked(request.now(), request.contact(), request.contactId(), request.event(), request.history());
    asked.check();
    CompiledRuleset compiled = request.files() == null
        ? registry.active(name).map(RulesetVersion::compiled)
            .orElseThrow(() -> ApiException.notFound("No active ruleset named \"" + name + "\"."))
        : compiled(name, RulesetFileNames.checked(request.files()));
    List<String> warnings = new ArrayList<>();
    return EvaluationJson.answer(evaluate(compiled, asked, warnings), mode, warnings);
  }

  /** Unsaved files, checked as PUT checks them and compiled as it would compile them. */
  private CompiledRuleset compiled(String name, Map<String, String> files) {
    CheckResult checked;
    try {
      checked = registry.validate(name, files);
    } catch (RulesetTooLargeException e) {
      throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "ruleset-too-large", "Ruleset too large",
          e.getMessage(), Map.of());
    }
    if (checked.ruleset().isEmpty()) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-ruleset", "Invalid ruleset",
          "The files have errors; nothing was tried.", Map.of("diagnostics", DiagnosticJson.all(checked.diagnostics())));
    }
    return CompiledRuleset.compile(checked.ruleset().get(), 0, registry.settings().compile());
  }

  /** The contact, event and history a decision is asked for. */
  private record Asked(Instant now, Contact contact, String contactId, TriggeringEvent event,
      List<HistoryEvent> history) {

    void check() {
      if ((contact == null) == (contactId == null)) {
        throw ApiException.badRequest("Send either a contact or a contactId, not both and not neither.");
      }
      if (contactId != null && !ContactStore.isValidId(contactId)) {
        throw ApiException.badRequest("A contactId is 1 to " + ContactStore.MAX_ID_BYTES
            + " bytes of UTF-8 without control characters, not blank.");
      }
    }
  }

  private Evaluation evaluate(CompiledRuleset compiled, Asked asked, List<String> warnings) {
    Instant now = asked.now() == null ? clock.instant() : asked.now();
    List<Event> given = asked.history() == null ? List.of()
        : asked.history().stream().map(HistoryEvent::event).toList();
    Contact contact;
    List<Event> history;
    if (asked.contact() != null) {
      contact = asked.contact();
      history = given;
    } else {
      EventRecorder.Facts facts = recorder.facts(asked.contactId(), compiled, now, warnings)
          .orElseThrow(() -> ApiException.notFound("No contact with id \"" + asked.contactId() + "\"."));
      contact = facts.contact();
      history = merged(facts.history(), given);
    }
    Optional<Event> event = Optional.ofNullable(asked.event()).map(e -> e.at(now));
    return compiled.evaluate(contact, event, history, now);
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
