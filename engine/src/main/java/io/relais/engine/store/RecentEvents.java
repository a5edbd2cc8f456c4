package io.relais.engine.store;

import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A contact's recent events, kept in its own document so that most evaluations read their
 * history with the contact instead of searching the events index (docs/store.md, "Recent
 * events in the contact document").
 *
 * <p>The invariant: {@code events} holds every event recorded for the contact whose {@code at}
 * is at or after {@code from}; a null {@code from} means every event the contact ever had. It
 * holds because the only writes that record an event (the event's own contact write, a batch
 * run's contact write) add it here in the same conditional write that applies it, and a contact
 * document only comes into being with an empty, complete list. Dropping events keeps it true by
 * moving {@code from} past them. A history need the list does not cover is read from the
 * events index as before.
 *
 * @param from the instant from which the list is complete; null: complete since the first event
 * @param events the events, oldest first (by {@code at})
 */
public record RecentEvents(Instant from, List<Event> events) {

  /**
   * Attributes larger than this (in characters of their text form) keep an event out of the
   * list: one large form post would otherwise be rewritten with every later write of the contact.
   */
  static final int MAX_ATTRIBUTE_CHARS = 2_048;

  /** Events kept at most in one contact's list, whatever the settings say. */
  static final int HARD_MAX_EVENTS = 1_000;

  public RecentEvents {
    events = List.copyOf(events);
  }

  /** The list of a contact that has no event yet: empty and complete. */
  public static final RecentEvents NONE = new RecentEvents(null, List.of());

  /**
   * The list of a contact whose document had none, from what the events index holds since
   * {@code from} (with the outbox's entries, which searches may not see yet). When the read hit
   * its bound ({@code truncated}), older events may exist that it did not return: the list is
   * then complete only after the oldest one it read.
   */
  static RecentEvents rebuilt(Instant from, List<Event> found, boolean truncated, Instant now, Duration window,
      int max) {
    Instant complete = from;
    if (truncated) {
      complete = justAfter(found.stream().map(Event::at).min(Instant::compareTo).orElse(from));
    }
    RecentEvents known = new RecentEvents(complete, List.of());
    for (Event e : found) {
      known = known.with(e, now, window, max);
    }
    return known;
  }

  /**
   * The list with {@code event} added (it replaces an entry of the same id), then trimmed: events
   * older than {@code window} before {@code now} leave, then the oldest until at most {@code max}
   * remain; {@code from} moves past whatever left.
   */
  public RecentEvents with(Event event, Instant now, Duration window, int max) {
    List<Event> kept = new ArrayList<>(events.size() + 1);
    for (Event e : events) {
      if (!e.id().equals(event.id())) {
        kept.add(e);
      }
    }
    Instant complete = from;
    if (event.attributes().toString().length() > MAX_ATTRIBUTE_CHARS) {
      complete = later(complete, justAfter(event.at()));
    } else {
      kept.add(event);
    }
    kept.sort(Comparator.comparing(Event::at));
    Instant horizon = now.minus(window);
    if (!kept.isEmpty() && kept.get(0).at().isBefore(horizon)) {
      complete = later(complete, horizon);
    }
    int limit = Math.min(max, HARD_MAX_EVENTS);
    if (kept.size() > limit) {
      // Drop every event at or before the newest one that has to go, so that what stays is
      // exactly "everything after that instant".
      complete = later(complete, justAfter(kept.get(kept.size() - limit - 1).at()));
    }
    if (complete != null) {
      Instant bound = complete;
      kept.removeIf(e -> e.at().isBefore(bound));
    }
    return new RecentEvents(complete, kept);
  }

  /**
   * The events a ruleset with {@code needs} reads at {@code now}, exactly as the events index
   * would give them (per type its window, the newest event of each last-only type at or before
   * now); empty when the list does not cover them.
   */
  public Optional<List<Event>> read(HistoryNeeds needs, Instant now) {
    for (Map.Entry<String, Optional<Duration>> need : needs.windows().entrySet()) {
      if (!covers(need.getValue().map(now::minus))) {
        return Optional.empty();
      }
    }
    List<Event> out = new ArrayList<>();
    for (Event e : events) {
      Optional<Duration> window = needs.windows().get(e.type());
      if (window != null && (window.isEmpty() || !e.at().isBefore(now.minus(window.get())))) {
        out.add(e);
      }
    }
    for (String type : needs.lastOnly()) {
      Event newest = null;
      for (Event e : events) {
        if (e.type().equals(type) && !e.at().isAfter(now) && (from == null || !e.at().isBefore(from))) {
          newest = e;
        }
      }
      if (newest == null && from != null) {
        return Optional.empty(); // an older one may exist, before the list begins
      }
      if (newest != null && !out.contains(newest)) {
        out.add(newest);
      }
    }
    return Optional.of(out);
  }

  // Whether every event at or after `since` (empty: since ever) is in the list.
  private boolean covers(Optional<Instant> since) {
    return from == null || since.isPresent() && !since.get().isBefore(from);
  }

  // The next instant; the last one has none (the list then covers nothing, which is safe).
  private static Instant justAfter(Instant at) {
    return at.equals(Instant.MAX) ? Instant.MAX : at.plusNanos(1);
  }

  private static Instant later(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
