package io.relais.api.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.api.web.ApiException;
import io.relais.engine.compile.Coercion;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.Event;
import io.relais.engine.store.ContactStore;
import io.relais.engine.store.ProfileUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;

/** Request bodies of the contacts and events calls, checked: bad input is a 400, never a 500. */
final class ContactRequests {

  /** Event ids and types longer than this are refused (they become keys in the store). */
  static final int MAX_NAME_BYTES = 256;

  private ContactRequests() {}

  /** One posted event; {@code contactId} only in bulk. */
  record EventRequest(String contactId, String id, String type, Instant at, Map<String, Object> attributes) {}

  static String contactId(String id) {
    if (!ContactStore.isValidId(id)) {
      throw ApiException.badRequest("A contact id is 1 to " + ContactStore.MAX_ID_BYTES
          + " bytes of UTF-8 without control characters.");
    }
    return id;
  }

  /** The event to record; {@code at} defaults to {@code now}. */
  static Event event(EventRequest request, Instant now) {
    if (request == null) {
      throw ApiException.badRequest("Send an event: {\"id\", \"type\", \"at\", \"attributes\"}.");
    }
    if (!isName(request.id())) {
      throw ApiException.badRequest("An event needs an \"id\" (1 to " + MAX_NAME_BYTES
          + " bytes, no control characters): a retry with the same id is not applied twice.");
    }
    if (!isName(request.type())) {
      throw ApiException.badRequest("An event needs a \"type\", such as \"page_visit\".");
    }
    if (request.at() != null && !Coercion.inRange(request.at())) {
      // Java reads years up to a billion; the store's date fields hold four-digit years (as
      // every time in a request: RequestInstant).
      throw ApiException.badRequest("\"at\" is a date-time of the years 0001 to 9999, such as "
          + "\"2026-11-27T10:00:00Z\".");
    }
    return new Event(request.id(), request.type(), request.at() == null ? now : request.at(), request.attributes());
  }

  private static boolean isName(String text) {
    return text != null && !text.isBlank() && text.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES
        && text.codePoints().noneMatch(Character::isISOControl);
  }

  /**
   * A contact's JSON as a profile update for contact {@code id}: the body's {@code id}, if any,
   * must be {@code id}.
   */
  static ProfileUpdate profile(ObjectMapper json, JsonNode body, String id) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("Send the contact as a JSON object.");
    }
    if (body.hasNonNull("id") && !body.get("id").asText().equals(id)) {
      throw ApiException.badRequest("The body's id \"" + body.get("id").asText()
          + "\" is not the id of the URL \"" + id + "\".");
    }
    Contact given;
    try {
      given = json.treeToValue(((com.fasterxml.jackson.databind.node.ObjectNode) body.deepCopy()).put("id", id),
          Contact.class);
    } catch (Exception e) {
      throw ApiException.badRequest("The contact is not valid: " + rootMessage(e));
    }
    // A decision reads a wrongly typed value as empty with a warning; the store keeps typed
    // values only, so a profile to store with one is refused, naming the fields.
    if (!given.invalid().isEmpty()) {
      throw ApiException.badRequest("The contact is not valid: " + String.join("; ",
          given.invalid().entrySet().stream()
              .map(e -> ContactFacts.invalidField(e.getKey(), e.getValue()).replace(": read as empty", ""))
              .toList()) + ".");
    }
    Set<String> state = new HashSet<>();
    for (String field : ProfileUpdate.STATE_FIELDS) {
      if (body.has(field)) {
        state.add(field);
      }
    }
    return new ProfileUpdate(given, state, body.hasNonNull("createdAt"), body.hasNonNull("lastActivityAt"));
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // Jackson's messages end with a source location that means nothing to the caller.
    int at = message.indexOf("\n at [Source");
    return at >= 0 ? message.substring(0, at) : message;
  }

  static ApiException busy(RuntimeException e) {
    return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict",
        "The contact changed concurrently too many times; send the same request again (events are"
            + " idempotent by id).", Map.of("retryable", true));
  }
}
