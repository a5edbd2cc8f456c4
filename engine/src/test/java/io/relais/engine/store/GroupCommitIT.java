package io.relais.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Group commit against the build's node: conditions hold item by item inside a shared bulk. */
class GroupCommitIT {

  private final StoreFixture fixture = new StoreFixture();

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  /**
   * Many writers of the same read version at once, grouped into shared bulks: exactly one
   * conditional write wins, every other one is told it lost (and would re-read), none
   * overwrites the winner; other contacts' writes in the same bulks are not affected.
   */
  @Test
  void writersOfTheSameVersionInSharedBulksHaveExactlyOneWinner() throws Exception {
    Contact base = named("c-1", "base");
    assertThat(fixture.contacts.write(StoredContact.absent(base), base, List.of(), fixture.clock.instant())).isTrue();
    StoredContact read = fixture.contacts.read("c-1").orElseThrow();

    int writers = 16;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Boolean>> sameVersion = new ArrayList<>();
    List<Future<Boolean>> others = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        Contact mine = named("c-1", "writer-" + i);
        Contact other = named("other-" + i, "other");
        sameVersion.add(pool.submit(() -> {
          go.await();
          return fixture.contacts.write(read, mine, List.of(), fixture.clock.instant());
        }));
        others.add(pool.submit(() -> {
          go.await();
          return fixture.contacts.write(StoredContact.absent(other), other, List.of(), fixture.clock.instant());
        }));
      }
      go.countDown();
      List<Boolean> won = new ArrayList<>();
      for (Future<Boolean> f : sameVersion) {
        won.add(f.get());
      }
      assertThat(won).filteredOn(w -> w).hasSize(1);
      for (Future<Boolean> f : others) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
    int winner = 0;
    while (!Boolean.TRUE.equals(sameVersion.get(winner).get())) {
      winner++;
    }
    StoredContact after = fixture.contacts.read("c-1").orElseThrow();
    assertThat(after.contact().firstName()).isEqualTo("writer-" + winner);
    assertThat(after.seqNo()).isGreaterThan(read.seqNo());
    // A create-only write of a contact that exists loses like a stale version.
    assertThat(fixture.contacts.write(StoredContact.absent(base), base, List.of(), fixture.clock.instant())).isFalse();
  }

  private Contact named(String id, String firstName) {
    return fixture.json.convertValue(Map.of("id", id, "firstName", firstName), Contact.class);
  }
}
