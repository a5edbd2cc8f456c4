package io.relais.engine.store;

import io.relais.engine.contact.Contact;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

  /** The contact this one was merged into: it is an alias of that contact (ContactMerges). */
  public Optional<String> mergedInto() {
    return Optional.ofNullable(extras.get(ContactMerges.MERGED_INTO)).map(String::valueOf);
  }

  /** The contacts merged into this one, each once, in the order they were merged. */
  public List<String> mergedFrom() {
    if (extras.get(ContactMerges.MERGED_FROM) instanceof List<?> ids) {
      return ids.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  /** The ids its events are recorded under: its own, then those of the contacts merged into it. */
  public List<String> owners() {
    List<String> mergedFrom = mergedFrom();
    if (mergedFrom.isEmpty()) {
      return List.of(contact.id());
    }
    List<String> owners = new ArrayList<>(mergedFrom.size() + 1);
    owners.add(contact.id());
    owners.addAll(mergedFrom);
    return owners;
  }
}
