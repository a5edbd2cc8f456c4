package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import io.relais.engine.evaluation.CompiledRuleset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The recent events a contact's document keeps (docs/store.md): history within them is read
 * with the contact and no search, what they do not cover is searched, and a document written
 * before Relais kept them gets them from the events index once.
 */
class RecentEventsIT {

  private static final CompiledRuleset THREE_VISITS = StoreFixture.compile("""
      segment "Frequent"
      when count(page_visit within 7 days) >= 3
      then tag "FREQUENT"
      end
      """);

  private final StoreFixture fixture = new StoreFixture();

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  private EventRecorder recorder(Duration window, int max) {
    EventSettings s = fixture.settings;
    return new EventRecorder(fixture.contacts, fixture.events, fixture.clock,
        new EventSettings(s.maxAttempts(), s.maxBackoff(), s.maxHistory(), s.outboxGrace(), window, max));
  }

  // Searches the node ran on the events index so far: what a history read costs.
  private long eventSearches() throws Exception {
    return fixture.store.client().indices().stats(s -> s.index(fixture.indices.events()).metric("search"))
        .all().primaries().search().queryTotal();
  }

  @Test
  void historyWithinTheListIsReadWithTheContactAndNoSearch() throws Exception {
    long before = eventSearches();
    for (int i = 1; i <= 3; i++) {
      fixture.recorder.record("c-1", fixture.visit("v-" + i), THREE_VISITS);
      fixture.clock.advance(Duration.ofHours(1));
    }

    assertThat(fixture.stored("c-1").tags()).containsEntry("FREQUENT", 1);
    assertThat(eventSearches()).isEqualTo(before);
    assertThat(fixture.contacts.read("c-1").orElseThrow().recent().events()).extracting(Event::id)
        .containsExactly("v-1", "v-2", "v-3");
  }

  @Test
  void withoutTheListEveryHistoryReadSearches() throws Exception {
    EventRecorder searching = recorder(Duration.ofDays(90), 0);
    long before = eventSearches();
    for (int i = 1; i <= 3; i++) {
      searching.record("c-1", fixture.visit("v-" + i), THREE_VISITS);
      fixture.clock.advance(Duration.ofHours(1));
    }

    assertThat(fixture.stored("c-1").tags()).containsEntry("FREQUENT", 1);
    // A new contact has no history to search; each later event keeps none, so reads search.
    assertThat(eventSearches()).isEqualTo(before + 2);
  }

  @Test
  void aWindowLongerThanTheListIsSearchedAndCountsEverything() throws Exception {
    EventRecorder shortList = recorder(Duration.ofDays(1), 100);
    for (int i = 1; i <= 3; i++) {
      shortList.record("c-1", fixture.visit("v-" + i), THREE_VISITS);
      fixture.refresh();
      fixture.clock.advance(Duration.ofDays(2)); // v-1 is 4 days old at v-3: out of the list, in the week
    }

    assertThat(fixture.stored("c-1").tags()).containsEntry("FREQUENT", 1);
    assertThat(fixture.contacts.read("c-1").orElseThrow().recent().events()).extracting(Event::id)
        .containsExactly("v-3");
  }

  @Test
  void aContactWrittenBeforeTheListGetsItFromTheIndexOnce() throws Exception {
    Instant now = fixture.clock.instant();
    // A contact document as an older Relais wrote it: no recent events.
    fixture.contacts.write(StoredContact.absent(Contact.withId("c-1")), Contact.withId("c-1"), List.of(), null, now);
    assertThat(fixture.contacts.read("c-1").orElseThrow().recent()).isNull();
    List<PendingEvent> old = new ArrayList<>();
    old.add(recorded("old-1", "page_visit", now.minus(Duration.ofDays(2))));
    old.add(recorded("old-2", "page_visit", now.minus(Duration.ofDays(3))));
    old.add(recorded("too-old", "page_visit", now.minus(Duration.ofDays(100))));
    fixture.events.writeSearchable("c-1", old);

    fixture.recorder.record("c-1", fixture.visit("v-1"), THREE_VISITS);

    // Two visits from the index and this one: three in the week.
    assertThat(fixture.stored("c-1").tags()).containsEntry("FREQUENT", 1);
    RecentEvents recent = fixture.contacts.read("c-1").orElseThrow().recent();
    assertThat(recent.events()).extracting(Event::id).containsExactly("old-2", "old-1", "v-1");
    assertThat(recent.from()).isEqualTo(now.minus(fixture.settings.recentWindow()));
    long before = eventSearches();
    fixture.recorder.record("c-1", fixture.visit("v-2"), THREE_VISITS);
    assertThat(fixture.stored("c-1").tags()).containsEntry("FREQUENT", 2);
    assertThat(eventSearches()).isEqualTo(before);
  }

  @Test
  void aDecisionWithoutRecordingReadsTheListToo() throws Exception {
    fixture.recorder.record("c-1", fixture.visit("v-1"), THREE_VISITS);
    long before = eventSearches();

    EventRecorder.Facts facts = fixture.recorder.facts("c-1", THREE_VISITS, fixture.clock.instant(),
        new ArrayList<>()).orElseThrow();

    assertThat(facts.history()).extracting(Event::id).containsExactly("v-1");
    assertThat(eventSearches()).isEqualTo(before);
  }

  private static PendingEvent recorded(String id, String type, Instant at) {
    return new PendingEvent(id, type, at, Map.of("url", "/" + id), "test", 1, at, DecisionJson.stored(new LinkedHashMap<>()));
  }
}
