package io.relais.api.decisions;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.relais.api.web.ApiException;
import io.relais.api.web.RequestInstant;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.Evaluation;
import io.relais.engine.registry.RulesetRegistry;
import io.relais.engine.registry.RulesetVersion;
import io.relais.engine.store.ContactIndex;
import io.relais.engine.store.ElasticsearchStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the active ruleset decides for one contact; nothing is stored (API.md). */
@RestController
@RequestMapping("/api/v1/decisions")
@Tag(name = "Decisions")
public class DecisionsController {

  private final RulesetRegistry registry;
  private final ElasticsearchStore store;
  private final ContactIndex contacts;
  private final ObjectMapper json;
  private final Clock clock;

  public DecisionsController(RulesetRegistry registry, ElasticsearchStore store, ObjectMapper json, Clock clock) {
    this.registry = registry;
    this.store = store;
    this.contacts = new ContactIndex(store);
    this.json = json;
    this.clock = clock;
  }

  /**
   * A decision request: an inline {@code contact} or a stored one by {@code contactId}; {@code
   * now} defaults to the server clock; {@code event} and {@code history} are optional.
   */
  public record DecisionRequest(
      String ruleset, @JsonDeserialize(using = RequestInstant.class) Instant now, Contact contact, String contactId,
      Event event, List<Event> history) {}

  /** The longest contact id accepted. */
  static final int MAX_ID_LENGTH = 512;

  @Operation(summary = "Evaluate the active version of a ruleset for one contact, without side effects")
  @PostMapping
  public Evaluation decide(@RequestBody DecisionRequest request) {
    if (request.ruleset() == null || request.ruleset().isBlank()) {
      throw ApiException.badRequest("Name the ruleset: {\"ruleset\": \"...\"}.");
    }
    if ((request.contact() == null) == (request.contactId() == null)) {
      throw ApiException.badRequest("Send either a contact or a contactId, not both and not neither.");
    }
    if (request.contactId() != null && (request.contactId().isBlank() || request.contactId().length() > MAX_ID_LENGTH)) {
      throw ApiException.badRequest("A contactId is 1 to " + MAX_ID_LENGTH + " characters, not blank.");
    }
    RulesetVersion version = registry.active(request.ruleset())
        .orElseThrow(() -> ApiException.notFound("No active ruleset named \"" + request.ruleset() + "\"."));
    Contact contact = Optional.ofNullable(request.contact()).orElseGet(() -> stored(request.contactId()));
    List<Event> history = request.history() == null ? List.of() : request.history();
    Instant now = request.now() == null ? clock.instant() : request.now();
    return version.compiled().evaluate(contact, Optional.ofNullable(request.event()), history, now);
  }

  // Stored contacts come without history for now: events are not stored yet.
  private Contact stored(String id) {
    return store.call("read contact", () -> contacts.find(id))
        .map(document -> json.convertValue(document, Contact.class))
        .orElseThrow(() -> ApiException.notFound("No contact with id \"" + id + "\"."));
  }
}
