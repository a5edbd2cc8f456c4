package io.relais.api.contacts;

import io.relais.api.web.ApiException;
import io.relais.engine.store.ContactBusyException;
import io.relais.engine.store.ContactMerges;
import io.relais.engine.store.ContactStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** One person, one contact: {@code POST /contacts/{id}/merge} (docs/api.md "Identity"). */
@RestController
@RequestMapping("/api/v1/contacts")
@Tag(name = "Contacts")
public class MergeController {

  private final ContactMerges merges;
  private final ContactStore contacts;
  private final Clock clock;

  public MergeController(ContactMerges merges, ContactStore contacts, Clock clock) {
    this.merges = merges;
    this.contacts = contacts;
    this.clock = clock;
  }

  /** The body: the contact merged into the one of the path. */
  public record MergeRequest(String from) {}

  @Operation(summary = "Merge contact `from` into this one: one person, one contact")
  @ApiResponse(responseCode = "200", description = "the merged contact, with `mergedFrom`; merging again changes nothing")
  @ApiResponse(responseCode = "400", description = "bad-request: no or a bad `from`, or the contact itself")
  @ApiResponse(responseCode = "404", description = "not-found: either contact is unknown")
  @ApiResponse(responseCode = "409", description = "merged: either contact is itself merged into another one (`contactId`, `mergedInto`); conflict: the contacts changed concurrently on every attempt (`retryable`)")
  @PostMapping(path = "/{id}/merge", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Map<String, Object> merge(@PathVariable String id, @RequestBody MergeRequest request) {
    ContactRequests.contactId(id);
    if (request == null || request.from() == null) {
      throw ApiException.badRequest("Say which contact to merge into \"" + id + "\": {\"from\": \"<id>\"}.");
    }
    ContactRequests.contactId(request.from());
    if (request.from().equals(id)) {
      throw ApiException.badRequest("A contact cannot be merged into itself.");
    }
    ContactMerges.Result result;
    try {
      result = merges.merge(id, request.from());
    } catch (ContactBusyException e) {
      throw ContactRequests.busy(e);
    }
    if (result instanceof ContactMerges.Unknown unknown) {
      throw ApiException.notFound("No contact with id \"" + unknown.id() + "\".");
    }
    if (result instanceof ContactMerges.Alias alias) {
      throw ContactRequests.alias(alias.id(), alias.target());
    }
    return ContactsController.answer(contacts, ((ContactMerges.Merged) result).contact(), clock.instant());
  }
}
