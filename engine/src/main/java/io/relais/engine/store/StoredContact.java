package io.relais.engine.store;

import io.relais.engine.contact.Contact;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A contact as read from the store, with what a conditional write needs: the sequence number
 * and primary term of the document ({@code -1} when it does not exist yet), the events applied
 * but not yet searchable in the events index (the outbox), its recent events ({@link
 * RecentEvents}; null for a document written before Relais kept them, whose list is unknown),
 * and stored fields this version of Relais does not know, kept as they are on every write.
 */
public record StoredContact(
    Contact contact, List<PendingEvent> outbox, RecentEvents recent, Map<String, Object> extras, long seqNo,
    long primaryTerm) {

  public StoredContact {
    outbox = List.copyOf(outbox);
    // Not Map.copyOf: a field another writer stored as null is kept as it is, not a failure.
    extras = Collections.unmodifiableMap(new LinkedHashMap<>(extras));
  }

  /** A contact that is not stored yet: no event recorded, so its list of recent events is complete. */
  public static StoredContact absent(Contact contact) {
    return new StoredContact(contact, List.of(), RecentEvents.NONE, Map.of(), -1, -1);
  }

  public boolean exists() {
    return seqNo >= 0;
  }
}
