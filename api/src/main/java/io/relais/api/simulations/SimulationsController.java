package io.relais.api.simulations;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.relais.api.audiences.ConditionProblems;
import io.relais.api.rulesets.DiagnosticJson;
import io.relais.api.rulesets.RulesetFileNames;
import io.relais.api.config.BatchWorkers;
import io.relais.api.web.ApiException;
import io.relais.api.web.RequestInstant;
import io.relais.engine.batch.BatchRuns;
import io.relais.engine.registry.RulesetTooLargeException;
import io.relais.engine.simulation.SimulationStatus;
import io.relais.engine.simulation.Simulations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /simulations}, {@code GET /simulations/{id}}, {@code POST /simulations/{id}/cancel} (docs/simulations.md). */
@RestController
@RequestMapping("/api/v1/simulations")
@Tag(name = "Simulations")
public class SimulationsController {

  private final Simulations simulations;
  private final BatchWorkers workers;

  public SimulationsController(Simulations simulations, BatchWorkers workers) {
    this.workers = workers;
    this.simulations = simulations;
  }

  /** A simulation: the ruleset, the candidate, the period [from, until), an optional filter. */
  public record StartRequest(
      String ruleset,
      CandidateJson candidate,
      @JsonDeserialize(using = RequestInstant.class) Instant from,
      @JsonDeserialize(using = RequestInstant.class) Instant until,
      String filter) {}

  /** The candidate: the files of a version not stored ({@code files}), or a stored {@code version}. */
  public record CandidateJson(
      @Schema(description = "file name to text, as PUT /rulesets takes them") Map<String, String> files,
      @Schema(description = "a stored version of the ruleset") Integer version) {}

  @Operation(summary = "Replay a period's stored events with the active version and a candidate, on copies, in the background")
  @ApiResponse(responseCode = "202", description = "started; Location names the simulation")
  @ApiResponse(responseCode = "400", description = "bad-request: no ruleset, no candidate or one that is both files and a version, a bad file name, no period or an empty one")
  @ApiResponse(responseCode = "404", description = "not-found: the ruleset has no active version, or the candidate's version is not stored")
  @ApiResponse(responseCode = "413", description = "ruleset-too-large: the candidate's files are over relais.rulesets.max-size or max-files")
  @ApiResponse(responseCode = "422", description = "invalid-ruleset: the candidate has errors (`diagnostics`, every one), nothing runs; invalid-condition: the filter has errors (`diagnostics`); not-pushable: a part of the filter cannot run as a store query (`part`, `file`, `line`, `column`); query-refused: the store refused the query")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<SimulationStatus> start(@RequestBody StartRequest request) {
    if (request == null || request.ruleset() == null || request.ruleset().isBlank()) {
      throw ApiException.badRequest("Name the ruleset: {\"ruleset\": \"...\"}.");
    }
    Simulations.Candidate candidate = candidate(request.candidate());
    if (request.from() == null || request.until() == null) {
      throw ApiException.badRequest("Give the period: {\"from\": \"2026-10-01T00:00:00Z\", \"until\": \"2026-11-01T00:00:00Z\"}.");
    }
    try {
      SimulationStatus status = ConditionProblems.answer(() -> simulations.start(request.ruleset(), candidate,
          request.from(), request.until(), request.filter()));
      workers.ensureStarted();
      return ResponseEntity.accepted().location(URI.create("/api/v1/simulations/" + status.id())).body(status);
    } catch (BatchRuns.UnknownRulesetException | Simulations.UnknownVersionException e) {
      throw ApiException.notFound(e.getMessage());
    } catch (Simulations.InvalidCandidateException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "invalid-ruleset", "Invalid ruleset",
          "The candidate has errors; nothing runs.", Map.of("diagnostics", DiagnosticJson.all(e.diagnostics())));
    } catch (RulesetTooLargeException e) {
      throw new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "ruleset-too-large", "Ruleset too large",
          e.getMessage(), Map.of());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  private static Simulations.Candidate candidate(CandidateJson candidate) {
    if (candidate == null || (candidate.files() == null) == (candidate.version() == null)) {
      throw ApiException.badRequest("Give the candidate as files or as a stored version: "
          + "{\"candidate\": {\"files\": {\"a.rules\": \"...\"}}} or {\"candidate\": {\"version\": 7}}.");
    }
    return new Simulations.Candidate(candidate.files() == null ? null : RulesetFileNames.checked(candidate.files()),
        candidate.version());
  }

  @Operation(summary = "A simulation's progress and its result so far (final once DONE)")
  @ApiResponse(responseCode = "200", description = "the simulation")
  @ApiResponse(responseCode = "404", description = "not-found: unknown simulation")
  @GetMapping("/{id}")
  public SimulationStatus get(@PathVariable String id) {
    return simulations.status(id).orElseThrow(() -> unknown(id));
  }

  @Operation(summary = "Cancel a running simulation; its counts so far stay readable")
  @ApiResponse(responseCode = "200", description = "the simulation, CANCELLED (or as it ended, if it had)")
  @ApiResponse(responseCode = "404", description = "not-found: unknown simulation")
  @PostMapping("/{id}/cancel")
  public SimulationStatus cancel(@PathVariable String id) {
    return simulations.cancel(id).orElseThrow(() -> unknown(id));
  }

  // An id no simulation can have is not quoted back: it may be thousands of characters long.
  private static ApiException unknown(String id) {
    return ApiException.notFound(Simulations.isValidId(id) ? "No simulation with id \"" + id + "\"."
        : "No simulation has this id: a simulation's id is 12 hex digits, as POST answered it.");
  }
}
