package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.contact.Contact;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kie.api.runtime.KieSession;

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
  void thePoolKeepsOnlyEmptySessionsAndNoMoreThanItsCapacity() {
    SessionPool pool = new SessionPool(RULES.kieBase(), 2);
    KieSession a = pool.take();
    KieSession b = pool.take();
    KieSession c = pool.take();
    KieSession failed = pool.take();
    KieSession dirty = pool.take();
    dirty.insert("left over");
    pool.giveBack(failed, false);
    pool.giveBack(dirty, true);
    assertThat(pool.idle()).isZero();
    pool.giveBack(a, true);
    pool.giveBack(b, true);
    pool.giveBack(c, true);
    assertThat(pool.idle()).isEqualTo(2);
    assertThat(pool.take()).isIn(a, b);
  }
}
