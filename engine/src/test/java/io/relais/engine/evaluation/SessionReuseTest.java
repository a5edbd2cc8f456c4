package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sessions are reused across evaluations, and reuse changes no answer. */
class SessionReuseTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static final CompiledRuleset RULES = Rulesets.compile("""
      segment "Leasing pages"
      when event is page_visit and event.url matches "/leasing/**"
      then tag "LEASING"
      end

      scoring "Every visit"
      when event is page_visit
      then add 1 to score
      end

      scoring "Keeps scoring"
      when contact.score >= 0
      then add 5 to score
      end

      alert "Opened"
      when event is email_open
      then notify "team@acme.fr" with "opened"
      end
      """);

  private static Evaluation run(String type) {
    Event event = new Event("e-1", type, NOW, Map.of("url", "/leasing/offers"));
    return RULES.evaluate(Contact.withId("c-1"), Optional.of(event), List.of(), NOW);
  }

  private static List<Map<String, Object>> json(Evaluation e) {
    return e.decisions().stream().map(Decision::json).toList();
  }

  @Test
  void aReusedSessionGivesTheSameAnswers() {
    Evaluation first = run("page_visit");
    Evaluation other = run("email_open");
    Evaluation again = run("page_visit");
    assertThat(json(again)).isEqualTo(json(first));
    assertThat(again.trace()).isEqualTo(first.trace());
    assertThat(json(other)).extracting(d -> d.get("type")).containsExactly("SCORE", "ALERT");
    assertThat(RULES.sessions().idle()).isEqualTo(1);
  }

  @Test
  void aRuleWhoseActionChangesWhatItReadsFiresOnce() {
    // Without agenda groups or lock-on-active: the phase snapshot is one fact, matched once.
    Evaluation e = run("email_open");
    assertThat(json(e)).filteredOn(d -> d.get("type").equals("SCORE"))
        .extracting(d -> d.get("delta")).containsExactly(5);
  }

  @Test
  void theTraceReadsAsTheConditionsCompared() {
    Evaluation e = run("email_open");
    assertThat(e.trace()).extracting(Evaluation.TraceEntry::why).containsExactly(
        "event is page_visit = email_open",
        "event is page_visit = email_open",
        "contact.score = 0 >= 0",
        "event is email_open = email_open");
  }

  @Test
  void thePoolKeepsOnlySessionsHoldingTheirSnapshotsAndNoMoreThanItsCapacity() {
    SessionPool pool = new SessionPool(RULES.kieBase(), 2, 7);
    SessionPool.Lease a = pool.take();
    SessionPool.Lease b = pool.take();
    SessionPool.Lease c = pool.take();
    SessionPool.Lease failed = pool.take();
    SessionPool.Lease dirty = pool.take();
    SessionPool.Lease kept = pool.take();
    dirty.session.insert("left over");
    kept.put(1, "a snapshot");
    kept.put(1, "the next snapshot");
    pool.giveBack(failed, false);
    pool.giveBack(dirty, true);
    assertThat(pool.idle()).isZero();
    pool.giveBack(kept, true);
    pool.giveBack(a, true);
    pool.giveBack(b, true);
    pool.giveBack(c, true);
    assertThat(pool.idle()).isEqualTo(2);
    assertThat(pool.take()).isIn(kept, a);
  }

  /**
   * A session keeps one snapshot fact per group between evaluations, updated by each: it
   * neither grows nor is disposed, whatever the evaluations match.
   */
  @Test
  void aSessionKeepsOneSnapshotPerGroupAcrossEvaluations() {
    for (int i = 0; i < 20; i++) {
      run(i % 3 == 0 ? "email_open" : "page_visit");
    }
    SessionPool.Lease lease = RULES.sessions().take();
    try {
      long groups = java.util.stream.IntStream.rangeClosed(1, 6).filter(RULES.groups()::first).count();
      assertThat(lease.kept()).isEqualTo(groups);
      assertThat(lease.session.getFactCount()).isEqualTo(lease.kept());
    } finally {
      RULES.sessions().giveBack(lease, true);
    }
    assertThat(RULES.sessions().idle()).isEqualTo(1);
  }

  /**
   * The snapshot facts an idle pooled session keeps hold nothing of the contact they were made
   * for: a contact erased since its last decision is not kept in memory by the pool.
   */
  @Test
  void anIdleSessionKeepsNothingOfTheLastContact() {
    run("page_visit");
    SessionPool.Lease lease = RULES.sessions().take();
    try {
      assertThat(lease.session.getObjects()).isNotEmpty().allSatisfy(fact -> {
        CompiledRuleset.PhaseSnapshot snapshot = (CompiledRuleset.PhaseSnapshot) fact;
        assertThat(snapshot.facts).isNull();
        assertThat(snapshot.trace).isNull();
        assertThat(snapshot.notes).isNull();
      });
    } finally {
      RULES.sessions().giveBack(lease, true);
    }
    // And the next evaluation on that session still decides as a fresh one would.
    assertThat(json(run("page_visit"))).extracting(d -> d.get("type"))
        .containsExactly("TAG", "SCORE", "SCORE");
  }

  private static final CompiledRuleset TAGGED = Rulesets.compile("""
      segment "Leasing visitors"
      when has tag "LEASING" and event is page_visit
      then add to segment "Leasing"
      end

      scoring "Regulars"
      when has tag "REGULAR" and event is page_visit
      then add 5 to score
      end

      qualify "Leasing regulars"
      when tag "LEASING" >= 2 and contact.score >= 5
      then advance stage to MQL
      end
      """);

  /**
   * Pooled sessions are not thread-safe (one evaluation, one thread at a time): evaluations on
   * many threads at once give each the answer one thread alone gives (decisions, trace, state).
   */
  @Test
  void evaluationsOnManyThreadsAtOnceGiveTheAnswersOfOne() throws Exception {
    List<Contact> contacts = List.of(Contact.withId("c-0"),
        Contact.fromJson(Map.of("id", "c-1", "tags", Map.of("REGULAR", 1, "LEASING", 1))),
        Contact.fromJson(Map.of("id", "c-2", "tags", Map.of("LEASING", 3), "score", 9)));
    List<String> types = List.of("page_visit", "email_open");
    Map<String, String> expected = new java.util.HashMap<>();
    for (Contact contact : contacts) {
      for (String type : types) {
        expected.put(contact.id() + type, answer(contact, type));
      }
    }
    int threads = 8;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    try {
      List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int offset = t;
        results.add(pool.submit(() -> {
          start.await();
          List<String> wrong = new java.util.ArrayList<>();
          for (int i = 0; i < 3000; i++) {
            Contact contact = contacts.get((i + offset) % contacts.size());
            String type = types.get((i / contacts.size() + offset) % types.size());
            if (!answer(contact, type).equals(expected.get(contact.id() + type))) {
              wrong.add(contact.id() + " " + type);
            }
          }
          return wrong;
        }));
      }
      start.countDown();
      for (java.util.concurrent.Future<List<String>> result : results) {
        assertThat(result.get()).isEmpty();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String answer(Contact contact, String type) {
    Event event = new Event("e-1", type, NOW, Map.of("url", "/leasing/offers"));
    Evaluation e = TAGGED.evaluate(contact, Optional.of(event), List.of(), NOW);
    return json(e) + " " + e.trace().stream().map(Evaluation.TraceEntry::why).toList() + " "
        + e.contact();
  }
}
