package io.relais.api.webhooks;

import io.relais.api.web.ApiException;
import io.relais.engine.actions.Deliveries;
import io.relais.engine.actions.Delivery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /deliveries}: what was sent to the webhooks, and sending a failed one again (docs/api.md "Webhooks"). */
@RestController
@RequestMapping("/api/v1/deliveries")
@Tag(name = "Webhooks")
public class DeliveriesController {

  private static final int MAX_LIMIT = 500;
  private static final Set<String> STATES = Set.of(Delivery.PENDING, Delivery.DELIVERED, Delivery.FAILED);

  private final Deliveries deliveries;
  private final Clock clock;

  public DeliveriesController(Deliveries deliveries, Clock clock) {
    this.deliveries = deliveries;
    this.clock = clock;
  }

  @Operation(summary = "Deliveries, newest first: action, attempts, last status, next attempt")
  @ApiResponse(responseCode = "400", description = "bad-request: an unknown state or a limit out of range")
  @GetMapping
  public List<Delivery> list(
      @Parameter(description = "only this webhook's") @RequestParam(required = false) String webhook,
      @Parameter(description = "pending, delivered or failed") @RequestParam(required = false) String state,
      @Parameter(description = "how many, 1 to 500") @RequestParam(defaultValue = "50") int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit is 1 to " + MAX_LIMIT + ".");
    }
    if (state != null && !STATES.contains(state)) {
      throw ApiException.badRequest("state is pending, delivered or failed.");
    }
    return deliveries.list(webhook, state, limit);
  }

  @Operation(summary = "Send a failed delivery again now (with a new retry window)")
  @ApiResponse(responseCode = "202", description = "pending again, due now")
  @ApiResponse(responseCode = "404", description = "not-found: unknown delivery")
  @ApiResponse(responseCode = "409", description = "conflict: the delivery is not failed (pending or delivered)")
  @PostMapping("/{id}/retry")
  public org.springframework.http.ResponseEntity<Delivery> retry(@PathVariable String id) {
    Deliveries.Retry retried = id.length() > 512 ? Deliveries.Retry.NOT_FOUND : deliveries.retry(id, clock.instant());
    return switch (retried) {
      case NOT_FOUND -> throw ApiException.notFound("No delivery has this id.");
      case NOT_FAILED -> throw new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict",
          "Only a failed delivery is sent again: this one is pending or delivered.", Map.of());
      case RETRIED -> org.springframework.http.ResponseEntity.accepted().body(deliveries.get(id).orElseThrow());
    };
  }
}
