package io.relais.engine.store;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactMerge;
import io.relais.engine.contact.Event;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges contact {@code B} into contact {@code A} (docs/store.md "Identity merge"), with no
 * lock and three conditional writes, each of one document:
 *
 * <ol>
 *   <li><b>Freeze B</b>: B's document gets {@code mergedInto: A}. From then on every writer that
 *       reads B (an event, a redemption, a batch run) goes to A instead, so B's state no longer
 *       changes; a write that raced it loses its conditional write, re-reads and goes to A.
 *   <li><b>Apply to A</b>: A's current state merged with B's frozen one, B's outbox entries and
 *       recent events added, and B recorded in A's {@code mergedFrom}, in one conditional write:
 *       an event applied to A meanwhile makes it fail, and it is computed again from the new A.
 *       A's {@code mergedFrom} holding B is what says "applied": it is never applied twice.
 *   <li><b>Done</b>: B's document gets {@code mergedAt}; nothing depends on it but the sweep's
 *       work list.
 * </ol>
 *
 * A merge interrupted after step 1 is finished (never undone) by the next attempt of the same
 * merge or by {@link #recover()}, which every instance runs with the recovery sweep.
 */
public final class ContactMerges {

  /** On an alias: the contact it was merged into. */
  public static final String MERGED_INTO = "mergedInto";
  /** On a merged contact: the contacts merged into it, each once. */
  public static final String MERGED_FROM = "mergedFrom";
  /** On an alias: when its merge was finished; absent while it is under way. */
  public static final String MERGED_AT = "mergedAt";

  private static final Logger log = LoggerFactory.getLogger(ContactMerges.class);
  /** Unfinished merges finished per sweep at most; the next sweep does the rest. */
  private static final int RECOVERY_PAGE = 1_000;

  private final ElasticsearchStore store;
  private final StoreIndices indices;
  private final StoreCalls calls;
  private final ContactStore contacts;
  private final Clock clock;
  private final EventSettings settings;
  private volatile WriteHook hook = WriteHook.NONE;

  public ContactMerges(ElasticsearchStore store, StoreIndices indices, StoreCalls calls, ContactStore contacts,
      Clock clock, EventSettings settings) {
    this.store = store;
    this.indices = indices;
    this.calls = calls;
    this.contacts = contacts;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * {@code query} without aliases: every search of people (audiences, leads, the funnel, batch
   * runs) counts a merged person once, as the contact the others were merged into.
   */
  public static Query people(Query query) {
    return Query.of(q -> q.bool(b -> b.filter(query).mustNot(m -> m.exists(e -> e.field(MERGED_INTO)))));
  }

  void hook(WriteHook hook) {
    this.hook = hook;
  }

  /** What a merge gave. */
  public sealed interface Result {}

  /** Merged (or merged before): the contact as it is now. */
  public record Merged(StoredContact contact) implements Result {}

  /** No contact with that id. */
  public record Unknown(String id) implements Result {}

  /** {@code id} is itself merged into {@code target}: nothing can be merged into it, nor it elsewhere. */
  public record Alias(String id, String target) implements Result {}

  /**
   * Merges contact {@code from} into contact {@code into}; merging a contact already merged into
   * {@code into} changes nothing.
   *
   * @throws ContactBusyException when every attempt lost to a concurrent write
   */
  public Result merge(String into, String from) {
    if (into.equals(from)) {
      throw new IllegalArgumentException("a contact cannot be merged into itself");
    }
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      Map<String, StoredContact> read = contacts.readAll(List.of(into, from));
      StoredContact a = read.get(into);
      StoredContact b = read.get(from);
      if (a == null) {
        return new Unknown(into);
      }
      if (a.mergedInto().isPresent()) {
        return new Alias(into, a.mergedInto().get());
      }
      if (b == null) {
        return new Unknown(from);
      }
      if (b.mergedInto().isPresent()) {
        if (!b.mergedInto().get().equals(into)) {
          return new Alias(from, b.mergedInto().get());
        }
        return new Merged(finish(b)); // merged before, or interrupted: finished now
      }
      Map<String, Object> extras = new LinkedHashMap<>(b.extras());
      extras.put(MERGED_INTO, into);
      if (contacts.write(b, b.contact(), b.outbox(), b.recent(), extras, clock.instant())) {
        hook.reached(WriteHook.Point.MERGE_FROZEN);
        return new Merged(finish(contacts.read(from).orElseThrow()));
      }
      EventRecorder.backoff(attempt, settings);
    }
    throw new ContactBusyException(into, settings.maxAttempts());
  }

  /**
   * Steps 2 and 3 for the frozen contact {@code b}: its state applied to the contact it names
   * (or, if that one was merged further meanwhile, to where that leads), once.
   */
  private StoredContact finish(StoredContact b) {
    String from = b.contact().id();
    StoredContact merged = null;
    for (int attempt = 1; merged == null; attempt++) {
      if (attempt > settings.maxAttempts()) {
        throw new ContactBusyException(b.mergedInto().orElseThrow(), settings.maxAttempts());
      }
      StoredContact a = contacts.resolve(b.mergedInto().orElseThrow())
          .orElseThrow(() -> new IllegalStateException("contact " + from + " is merged into a contact that is gone"));
      if (a.owners().contains(from)) {
        merged = a;
        break;
      }
      Instant now = clock.instant();
      Contact state = ContactMerge.merge(a.contact(), b.contact());
      if (contacts.write(a, state, outbox(a, b), recent(a, b, now), extras(a, b), now)) {
        merged = contacts.read(a.contact().id()).orElseThrow();
        hook.reached(WriteHook.Point.MERGE_APPLIED);
        break;
      }
      EventRecorder.backoff(attempt, settings);
    }
    markDone(b);
    return merged;
  }

  // Step 3; only merges write an alias, so a conflict is another run of the same merge.
  private void markDone(StoredContact b) {
    StoredContact current = b;
    for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
      if (current.extras().containsKey(MERGED_AT)) {
        return;
      }
      Map<String, Object> extras = new LinkedHashMap<>(current.extras());
      Instant now = clock.instant();
      extras.put(MERGED_AT, now.toString());
      if (contacts.write(current, current.contact(), current.outbox(), current.recent(), extras, now)) {
        return;
      }
      Optional<StoredContact> again = contacts.read(b.contact().id());
      if (again.isEmpty()) {
        return;
      }
      current = again.get();
    }
  }

  // A's outbox and B's entries it lacks: their documents (under B's id, or written under A's by
  // A's next prune) count once, by event id, in every read.
  private static List<PendingEvent> outbox(StoredContact a, StoredContact b) {
    List<PendingEvent> out = new ArrayList<>(a.outbox());
    Set<String> ids = new LinkedHashSet<>();
    a.outbox().forEach(p -> ids.add(p.eventId()));
    for (PendingEvent p : b.outbox()) {
      if (ids.add(p.eventId())) {
        out.add(p);
      }
    }
    return out;
  }

  // Both lists, complete from the later of their starts; unknown if either is.
  private RecentEvents recent(StoredContact a, StoredContact b, Instant now) {
    if (a.recent() == null || b.recent() == null) {
      return null;
    }
    Instant from = a.recent().from() == null ? b.recent().from()
        : b.recent().from() == null || a.recent().from().isAfter(b.recent().from()) ? a.recent().from()
        : b.recent().from();
    RecentEvents merged = new RecentEvents(from,
        a.recent().events().stream().filter(e -> from == null || !e.at().isBefore(from)).toList());
    for (Event e : b.recent().events()) {
      if (from == null || !e.at().isBefore(from)) {
        merged = merged.with(e, now, settings.recentWindow(), settings.recentMax());
      }
    }
    return merged;
  }

  // A's extras, B (and what was merged into B) in mergedFrom, and the marks both remember.
  private static Map<String, Object> extras(StoredContact a, StoredContact b) {
    Map<String, Object> extras = new LinkedHashMap<>(a.extras());
    Set<String> mergedFrom = new LinkedHashSet<>(a.mergedFrom());
    mergedFrom.add(b.contact().id());
    mergedFrom.addAll(b.mergedFrom());
    extras.put(MERGED_FROM, List.copyOf(mergedFrom));
    ContactDocuments.rememberBoth(extras, a.extras(), b.extras());
    return extras;
  }

  /**
   * Finishes the merges a crash interrupted: every alias without {@code mergedAt}. Idempotent,
   * safe on every instance at once (each step is a conditional write that a second run finds
   * done). Returns how many it finished.
   */
  public int recover() {
    @SuppressWarnings("rawtypes")
    var response = calls.read("search unfinished merges", () -> {
      try {
        return store.client().search(s -> s.index(indices.contacts())
            .query(q -> q.bool(b -> b.filter(f -> f.exists(e -> e.field(MERGED_INTO)))
                .mustNot(m -> m.exists(e -> e.field(MERGED_AT)))))
            .source(src -> src.fetch(false))
            .trackTotalHits(t -> t.enabled(false))
            .size(RECOVERY_PAGE), Map.class);
      } catch (ElasticsearchException e) {
        if (e.status() == 404) {
          return null;
        }
        throw e;
      }
    });
    if (response == null) {
      return 0;
    }
    int finished = 0;
    for (var hit : response.hits().hits()) {
      Optional<StoredContact> alias = contacts.read(hit.id());
      if (alias.isPresent() && alias.get().mergedInto().isPresent()
          && !alias.get().extras().containsKey(MERGED_AT)) {
        finish(alias.get());
        finished++;
      }
    }
    if (finished > 0) {
      log.info("Recovery finished {} contact merges a crash had interrupted", finished);
    }
    return finished;
  }
}
