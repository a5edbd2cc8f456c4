package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Grouped reads on the node: lookups queued while an {@code _mget} is in flight leave together in
 * the next one, and each caller gets its own contact and event document back.
 */
class GroupReadIT {

  private final StoreFixture fixture = new StoreFixture();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void close() throws Exception {
    callers.shutdownNow();
    fixture.close();
  }

  @Test
  @SuppressWarnings("rawtypes")
  void lookupsQueuedDuringAnMgetGoTogetherAndEachGetsItsOwnDocuments() throws Exception {
    for (int i = 0; i < 4; i++) {
      Contact contact = Contact.builder().id("c-" + i).firstName("Name " + i).score(i).build();
      assertThat(fixture.contacts.write(StoredContact.absent(contact), contact, List.of(), fixture.clock.instant()))
          .isTrue();
    }
    fixture.events.write("c-2", List.of(new PendingEvent("e-2", "page_visit", fixture.clock.instant(), Map.of(),
        "test", 1, fixture.clock.instant(), DecisionJson.stored(Map.of()))));

    // The first request waits until three more callers are queued behind it.
    StoreReads direct = StoreReads.direct(fixture.store, fixture.calls);
    List<Integer> requestSizes = new CopyOnWriteArrayList<>();
    CountDownLatch othersQueued = new CountDownLatch(1);
    StoreReads held = documents -> {
      requestSizes.add(documents.size());
      if (requestSizes.size() == 1) {
        try {
          othersQueued.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return direct.read(documents);
    };
    try (GroupRead reads = new GroupRead(held, GroupCommitSettings.defaults())) {
      ContactStore contacts = new ContactStore(fixture.store, fixture.indices, fixture.calls, fixture.json,
          fixture.writes, reads);
      List<Future<ContactStore.Lookup>> lookups = new ArrayList<>();
      lookups.add(callers.submit(() -> lookup(contacts, 0)));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (requestSizes.isEmpty() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      for (int i = 1; i < 4; i++) {
        int n = i;
        lookups.add(callers.submit(() -> lookup(contacts, n)));
      }
      while (reads.queued() < 3 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      othersQueued.countDown();

      for (int i = 0; i < 4; i++) {
        ContactStore.Lookup found = lookups.get(i).get(30, TimeUnit.SECONDS);
        assertThat(found.contact().orElseThrow().contact().firstName()).isEqualTo("Name " + i);
        assertThat(found.event().isPresent()).isEqualTo(i == 2);
      }
    }
    // Two documents per lookup: the first alone, the three others in one request.
    assertThat(requestSizes).containsExactly(2, 6);
  }

  private ContactStore.Lookup lookup(ContactStore contacts, int n) {
    return contacts.readWithEvent("c-" + n, fixture.indices.events(), EventLog.documentId("c-" + n, "e-" + n));
  }
}
