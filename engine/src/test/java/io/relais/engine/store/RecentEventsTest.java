package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecentEventsTest {

  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Duration WINDOW = Duration.ofDays(30);
  private static final List<String> TYPES = List.of("page_visit", "purchase", "email_open");

  private static Event event(String id, String type, Instant at) {
    return new Event(id, type, at, Map.of("url", "/" + id));
  }

  private static HistoryNeeds within(String type, Duration length) {
    return new HistoryNeeds(Map.of(type, Optional.of(length)), Set.of());
  }

  @Test
  void aNewContactsListCoversEveryWindowAndKeepsWhatItIsGiven() {
    RecentEvents recent = RecentEvents.NONE
        .with(event("a", "page_visit", NOW.minus(Duration.ofDays(2))), NOW, WINDOW, 10)
        .with(event("b", "purchase", NOW.minus(Duration.ofDays(1))), NOW, WINDOW, 10);

    assertThat(recent.from()).isNull();
    assertThat(recent.read(within("page_visit", Duration.ofDays(7)), NOW).orElseThrow())
        .extracting(Event::id).containsExactly("a");
    // Complete since the first event: even a count without a window is read from the list.
    assertThat(recent.read(new HistoryNeeds(Map.of("purchase", Optional.empty()), Set.of()), NOW)).isPresent();
  }

  @Test
  void eventsOlderThanTheWindowLeaveAndTheListIsCompleteOnlyAfterIt() {
    RecentEvents recent = RecentEvents.NONE
        .with(event("old", "page_visit", NOW.minus(Duration.ofDays(40))), NOW, WINDOW, 10)
        .with(event("new", "page_visit", NOW.minus(Duration.ofDays(1))), NOW, WINDOW, 10);

    assertThat(recent.from()).isEqualTo(NOW.minus(WINDOW));
    assertThat(recent.events()).extracting(Event::id).containsExactly("new");
    assertThat(recent.read(within("page_visit", Duration.ofDays(30)), NOW)).isPresent();
    // A longer window, or none, reaches before the list: the events index has to be searched.
    assertThat(recent.read(within("page_visit", Duration.ofDays(31)), NOW)).isEmpty();
    assertThat(recent.read(new HistoryNeeds(Map.of("page_visit", Optional.empty()), Set.of()), NOW)).isEmpty();
  }

  @Test
  void beyondItsSizeTheOldestLeaveWithEveryEventOfTheSameInstant() {
    Instant tie = NOW.minus(Duration.ofDays(3));
    RecentEvents recent = RecentEvents.NONE
        .with(event("a", "page_visit", tie), NOW, WINDOW, 2)
        .with(event("b", "page_visit", tie), NOW, WINDOW, 2)
        .with(event("c", "page_visit", NOW.minus(Duration.ofDays(1))), NOW, WINDOW, 2);

    // Keeping one of the two events at `tie` would make "complete after from" false for it.
    assertThat(recent.events()).extracting(Event::id).containsExactly("c");
    assertThat(recent.from()).isEqualTo(tie.plusNanos(1));
    assertThat(recent.read(within("page_visit", Duration.ofDays(2)), NOW)).isPresent();
    assertThat(recent.read(within("page_visit", Duration.ofDays(3)), NOW)).isEmpty();
  }

  @Test
  void anEventWithLargeAttributesIsNotKeptAndTheListStartsAfterIt() {
    Event large = new Event("big", "form_submit", NOW.minus(Duration.ofDays(1)),
        Map.of("body", "x".repeat(RecentEvents.MAX_ATTRIBUTE_CHARS + 1)));
    RecentEvents recent = RecentEvents.NONE.with(large, NOW, WINDOW, 10);

    assertThat(recent.events()).isEmpty();
    assertThat(recent.read(within("form_submit", Duration.ofDays(2)), NOW)).isEmpty();
    assertThat(recent.read(within("form_submit", Duration.ofHours(12)), NOW).orElseThrow()).isEmpty();
  }

  @Test
  void eventsAtTheEndsOfTimeAreKeptOrLeftWithoutFailing() {
    Event last = new Event("last", "form_submit", Instant.MAX,
        Map.of("body", "x".repeat(RecentEvents.MAX_ATTRIBUTE_CHARS + 1)));
    RecentEvents recent = RecentEvents.NONE
        .with(new Event("first", "page_visit", Instant.MIN, Map.of()), NOW, WINDOW, 1)
        .with(new Event("max", "page_visit", Instant.MAX, Map.of()), NOW, WINDOW, 1)
        .with(last, NOW, WINDOW, 1);

    assertThat(recent.from()).isEqualTo(Instant.MAX);
    assertThat(recent.read(within("page_visit", Duration.ofDays(1)), NOW)).isEmpty();
  }

  @Test
  void theNewestOfATypeIsReadOnlyWhenNoOlderOneCanHide() {
    RecentEvents trimmed = new RecentEvents(NOW.minus(WINDOW), List.of())
        .with(event("p", "purchase", NOW.minus(Duration.ofDays(5))), NOW, WINDOW, 10);
    HistoryNeeds last = new HistoryNeeds(Map.of(), Set.of("purchase", "email_open"));

    // A purchase in the list is the newest; no e-mail open in it may mean one before the list.
    assertThat(trimmed.read(new HistoryNeeds(Map.of(), Set.of("purchase")), NOW).orElseThrow())
        .extracting(Event::id).containsExactly("p");
    assertThat(trimmed.read(last, NOW)).isEmpty();
  }

  /**
   * Random events (past and future, ties, replays of an id) against a reference that keeps them
   * all: whenever the list says it covers a need, it gives exactly what a search of every event
   * would give.
   */
  @Test
  void whatTheListSaysItCoversIsExactlyWhatTheWholeHistoryGives() {
    Random random = new Random(20261129);
    int covered = 0;
    for (int round = 0; round < 2_000; round++) {
      int max = 1 + random.nextInt(12);
      Duration window = Duration.ofDays(1 + random.nextInt(40));
      RecentEvents recent = RecentEvents.NONE;
      Map<String, Event> all = new LinkedHashMap<>();
      Instant now = NOW;
      int count = random.nextInt(30);
      for (int i = 0; i < count; i++) {
        now = now.plus(Duration.ofHours(random.nextInt(48)));
        String id = "e" + random.nextInt(count + 1);
        Instant at = now.minus(Duration.ofHours(random.nextInt(24 * 60) - 24L)).truncatedTo(
            random.nextBoolean() ? java.time.temporal.ChronoUnit.DAYS : java.time.temporal.ChronoUnit.HOURS);
        Event e = event(id, TYPES.get(random.nextInt(TYPES.size())), at);
        all.put(id, e);
        recent = recent.with(e, now, window, max);
      }
      Instant readAt = now.plus(Duration.ofHours(random.nextInt(72)));
      Map<String, Optional<Duration>> windows = new LinkedHashMap<>();
      Set<String> lastOnly = new HashSet<>();
      for (String type : TYPES) {
        switch (random.nextInt(4)) {
          case 0 -> windows.put(type, Optional.of(Duration.ofDays(1 + random.nextInt(45))));
          case 1 -> windows.put(type, Optional.empty());
          case 2 -> lastOnly.add(type);
          default -> { }
        }
      }
      HistoryNeeds needs = new HistoryNeeds(windows, lastOnly);
      Optional<List<Event>> read = recent.read(needs, readAt);
      if (read.isPresent()) {
        covered++;
        Instant at = readAt;
        assertThat(new HashSet<>(read.get().stream().filter(e -> inWindow(e, needs, at)).toList()))
            .as("round %d", round).isEqualTo(new HashSet<>(windowed(all.values(), needs, readAt)));
        for (String type : lastOnly) {
          assertThat(newest(read.get(), type, readAt)).as("round %d, newest %s", round, type)
              .isEqualTo(newest(all.values(), type, readAt));
        }
      }
    }
    // The comparison is worth something only if the list covers many of the rounds.
    assertThat(covered).isGreaterThan(250);
  }

  // What the events index gives (EventLog.history): per type its window...
  private static List<Event> windowed(java.util.Collection<Event> all, HistoryNeeds needs, Instant now) {
    return all.stream().filter(e -> inWindow(e, needs, now)).toList();
  }

  private static boolean inWindow(Event e, HistoryNeeds needs, Instant now) {
    Optional<Duration> window = needs.windows().get(e.type());
    return window != null && (window.isEmpty() || !e.at().isBefore(now.minus(window.get())));
  }

  // ...and the newest event at or before now of each last-only type (of several at the same
  // instant, any one: compared by instant).
  private static Optional<Instant> newest(java.util.Collection<Event> events, String type, Instant now) {
    return events.stream().filter(e -> e.type().equals(type) && !e.at().isAfter(now))
        .map(Event::at).max(Instant::compareTo);
  }
}
