package io.relais.api.batch;

import io.relais.api.audiences.ConditionProblems;
import io.relais.api.config.BatchWorkers;
import io.relais.api.web.ApiException;
import io.relais.engine.batch.BatchRunStatus;
import io.relais.engine.batch.BatchRuns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /batch-runs} and {@code GET /batch-runs/{id}} (docs/batch.md). */
@RestController
@RequestMapping("/api/v1/batch-runs")
@Tag(name = "Batch runs")
public class BatchRunsController {

  private final BatchRuns runs;
  private final BatchWorkers workers;

  public BatchRunsController(BatchRuns runs, BatchWorkers workers) {
    this.workers = workers;
    this.runs = runs;
  }

  /** A run: the ruleset, the event type sent to every contact ({@code daily} by default), an optional filter. */
  public record StartRequest(String ruleset, String event, String filter) {}

  @Operation(summary = "Evaluate every (matching) stored contact with an event and apply the decisions, in the background")
  @ApiResponse(responseCode = "202", description = "started; Location names the run")
  @ApiResponse(responseCode = "404", description = "not-found: the ruleset has no active version")
  @ApiResponse(responseCode = "422", description = "invalid-condition: the condition has errors (`diagnostics`); not-pushable: a part cannot run as a store query (`part`, `file`, `line`, `column`); query-refused: the store refused the query")
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<BatchRunStatus> start(@RequestBody StartRequest request) {
    if (request == null || request.ruleset() == null || request.ruleset().isBlank()) {
      throw ApiException.badRequest("Name the ruleset: {\"ruleset\": \"...\"}.");
    }
    String event = request.event() == null || request.event().isBlank() ? "daily" : request.event();
    try {
      BatchRunStatus status = ConditionProblems.answer(() -> runs.start(request.ruleset(), event, request.filter()));
      workers.ensureStarted();
      return ResponseEntity.accepted().location(URI.create("/api/v1/batch-runs/" + status.id())).body(status);
    } catch (BatchRuns.UnknownRulesetException e) {
      throw ApiException.notFound(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
  }

  @Operation(summary = "A run's state, contacts done / total, rate, decisions by type and errors")
  @ApiResponse(responseCode = "200", description = "the run's status")
  @ApiResponse(responseCode = "404", description = "not-found: unknown run")
  @GetMapping("/{id}")
  public BatchRunStatus get(@PathVariable String id) {
    // An id no run can have is not quoted back: it may be thousands of characters long.
    return runs.status(id).orElseThrow(() -> ApiException.notFound(BatchRuns.isValidId(id)
        ? "No batch run with id \"" + id + "\"."
        : "No batch run has this id: a run's id is 12 hex digits, as POST answered it."));
  }
}
