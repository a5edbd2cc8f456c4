package io.relais.api.contacts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.relais.api.web.ApiException;
import io.relais.api.web.JsonMistakes;
import io.relais.api.web.RequestInstant;
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

  /**
   * One posted event; {@code contactId} only in bulk. {@code at} is read as every time in a
   * request ({@link RequestInstant}): ISO-8601 text with an offset, never a number.
   */
  record EventRequest(String contactId, String id, String type,
      @JsonDeserialize(using = RequestInstant.class) Instant at, Map<String, Object> attributes) {}

  /** One item of a bulk of events, read on its own: a bad one fails alone (a 400 naming the field). */
  static EventRequest eventItem(ObjectMapper json, JsonNode item) {
    if (item == null || item.isNull()) {
      return null;
    }
    try {
      return json.treeToValue(item, EventRequest.class);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw invalid(e, "The event", 0, "");
    }
  }

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
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw invalid(e, "The contact", 0, "The contact is not valid: ");
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

  /**
   * {@code text} read as one JSON value; a 400 naming where it is wrong otherwise, in plain words
   * ({@code what} names it, {@code lineOffset} lines come before it in the body).
   */
  static JsonNode readJson(ObjectMapper json, String text, String what, int lineOffset) {
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid(e, what, lineOffset, "");
    }
  }

  // A 400 for a JSON failure, worded by JsonMistakes; the field named in the problem.
  private static ApiException invalid(Exception e, String what, int lineOffset, String prefix) {
    JsonMistakes.Mistake mistake = JsonMistakes.of(e, what, lineOffset);
    if (mistake == null) {
      mistake = new JsonMistakes.Mistake("", what + " cannot be read.");
    }
    return new ApiException(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", prefix + mistake.detail(),
        mistake.properties());
  }

  /** A write to, or a merge of or into, a contact merged into another one. */
  static ApiException alias(String contactId, String target) {
    return new ApiException(HttpStatus.CONFLICT, "merged", "Contact merged",
        "Contact \"" + contactId + "\" was merged into contact \"" + target + "\": use that one.",
        Map.of("contactId", contactId, "mergedInto", target));
  }

  static ApiException busy(RuntimeException e) {
    return new ApiException(HttpStatus.CONFLICT, "conflict", "Conflict",
        "The contact changed concurrently too many times; send the same request again (events are"
            + " idempotent by id).", Map.of("retryable", true));
  }
}
