package io.relais.api.webhooks;

import io.relais.api.web.ApiException;
import io.relais.engine.actions.Webhook;
import io.relais.engine.actions.Webhooks;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /webhooks}: the subscriptions actions are delivered to (docs/api.md "Webhooks"). */
@RestController
@RequestMapping("/api/v1/webhooks")
@Tag(name = "Webhooks")
public class WebhooksController {

  private final Webhooks webhooks;

  public WebhooksController(Webhooks webhooks) {
    this.webhooks = webhooks;
  }

  /** A subscription: where to POST, and which action types and channels (none: all). */
  public record WebhookRequest(String url, List<String> types, List<String> channels) {}

  /** A subscription as listed: never its secrets. */
  public record WebhookView(String name, String url, List<String> types, List<String> channels, Instant createdAt,
      Instant updatedAt) {
    static WebhookView of(Webhook w) {
      return new WebhookView(w.name(), w.url(), w.types(), w.channels(), w.createdAt(), w.updatedAt());
    }
  }

  /** A subscription just created, with its signing secret: shown this once. */
  public record WebhookCreated(String name, String url, List<String> types, List<String> channels,
      Instant createdAt, Instant updatedAt, String secret) {}

  /** A new signing secret (shown this once) and until when the previous ones sign too. */
  public record RotatedSecret(String name, String secret, Instant previousSignUntil) {}

  @Operation(summary = "Create or replace a subscription; the signing secret is answered once, on creation")
  @ApiResponse(responseCode = "201", description = "created, with its secret (whsec_...)",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
          schema = @Schema(implementation = WebhookCreated.class)))
  @ApiResponse(responseCode = "200", description = "replaced; the secret is kept and not shown",
      content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
          schema = @Schema(implementation = WebhookView.class)))
  @ApiResponse(responseCode = "400", description = "bad-request: the name, url (http or https only), types or channels")
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> put(@PathVariable String name, @RequestBody WebhookRequest request) {
    if (request == null) {
      throw ApiException.badRequest("Give the webhook: {\"url\": \"https://...\"}.");
    }
    Webhooks.Put put;
    try {
      put = webhooks.put(name, request.url(), request.types(), request.channels());
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    Webhook w = put.webhook();
    if (put.secret().isPresent()) {
      return ResponseEntity.created(URI.create("/api/v1/webhooks/" + name)).body(new WebhookCreated(w.name(),
          w.url(), w.types(), w.channels(), w.createdAt(), w.updatedAt(), put.secret().get()));
    }
    return ResponseEntity.ok(WebhookView.of(w));
  }

  @Operation(summary = "Every subscription, by name, without secrets")
  @GetMapping
  public List<WebhookView> list() {
    return webhooks.list().stream().map(WebhookView::of).toList();
  }

  @Operation(summary = "One subscription, without its secrets")
  @ApiResponse(responseCode = "404", description = "not-found: unknown webhook")
  @GetMapping("/{name}")
  public WebhookView get(@PathVariable String name) {
    return webhooks.get(name).map(WebhookView::of).orElseThrow(() -> unknown(name));
  }

  @Operation(summary = "Delete a subscription; its pending deliveries end failed")
  @ApiResponse(responseCode = "204", description = "deleted")
  @ApiResponse(responseCode = "404", description = "not-found: unknown webhook")
  @DeleteMapping("/{name}")
  public ResponseEntity<Void> delete(@PathVariable String name) {
    if (!webhooks.delete(name)) {
      throw unknown(name);
    }
    return ResponseEntity.noContent().build();
  }

  @Operation(summary = "A new signing secret; the previous ones keep signing for 24 hours")
  @ApiResponse(responseCode = "200", description = "the new secret, shown this once")
  @ApiResponse(responseCode = "404", description = "not-found: unknown webhook")
  @PostMapping("/{name}/rotate-secret")
  public RotatedSecret rotate(@PathVariable String name) {
    String secret = webhooks.rotate(name).orElseThrow(() -> unknown(name));
    Instant until = webhooks.get(name).map(w -> w.updatedAt().plus(Webhooks.ROTATION_OVERLAP)).orElse(null);
    return new RotatedSecret(name, secret, until);
  }

  // A name no subscription can have is not quoted back: it may be long.
  private static ApiException unknown(String name) {
    return new ApiException(HttpStatus.NOT_FOUND, "not-found", "Not found", Webhooks.NAME.matcher(name).matches()
        ? "No webhook named \"" + name + "\"." : "No webhook has this name.", Map.of());
  }
}
