package io.relais.engine.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.relais.engine.compile.Condition;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.Event;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.kie.api.runtime.KieSession;

/**
 * The network, not the rules, dispatches on phase and event type: a rule whose phase is not
 * the snapshot's, or whose {@code event is T} guard does not hold, never runs its condition.
 */
class NetworkDispatchTest {

  private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

  private static final CompiledRuleset RULES = Rulesets.compile("""
      event t1 { url: text }
      event t2 { url: text }

      scoring "Guard last"
      when contact.score >= 0 and event is t1
      then add 1 to score
      end

      scoring "Other type"
      when event is t2 and contact.score >= 0
      then add 1 to score
      end

      scoring "No guard"
      when contact.score >= 0
      then add 1 to score
      end

      segment "Other phase"
      when contact.score >= 0
      then tag "X"
      end
      """);

  /** Runs one scoring-phase snapshot through a KieBase whose conditions count their calls. */
  private static Map<String, Integer> conditionCalls(Optional<Event> event, BitSet fired) {
    List<CompiledRuleset.CompiledRule> counted = new ArrayList<>();
    AtomicInteger[] calls = new AtomicInteger[RULES.rules().size()];
    for (CompiledRuleset.CompiledRule rule : RULES.rules()) {
      AtomicInteger n = new AtomicInteger();
      calls[rule.index()] = n;
      Condition original = rule.condition();
      Condition counting = (f, c, t) -> {
        n.incrementAndGet();
        return original.test(f, c, t);
      };
      counted.add(new CompiledRuleset.CompiledRule(rule.index(), rule.ref(), rule.phase(),
          rule.activeFrom(), rule.activeUntil(), rule.eventGuard(), counting,
          rule.actions()));
    }
    int scoring = io.relais.dsl.ast.RuleKind.SCORING.phase();
    KieSession session = DroolsModel.build(counted).newKieSession();
    try {
      ContactFacts facts = new ContactFacts(Contact.withId("c"), event,
          event.map(List::of).orElse(List.of()), NOW, ZoneOffset.UTC);
      session.insert(new CompiledRuleset.PhaseSnapshot(scoring, facts, new String[counted.size()],
          fired, new BitSet()));
      session.fireAllRules();
    } finally {
      session.dispose();
    }
    Map<String, Integer> byName = new java.util.LinkedHashMap<>();
    RULES.rules().forEach(r -> byName.put(r.ref().name(), calls[r.index()].get()));
    return byName;
  }

  private static List<String> firedNames(BitSet fired) {
    return fired.stream().mapToObj(i -> RULES.rules().get(i).ref().name()).toList();
  }

  private static Optional<Event> event(String type) {
    return Optional.of(new Event("e", type, NOW, Map.of()));
  }

  @Test
  void onlyTheRulesOfThePhaseWhoseEventGuardHoldsRunTheirCondition() {
    BitSet fired = new BitSet();
    assertThat(conditionCalls(event("t1"), fired)).containsExactlyInAnyOrderEntriesOf(
        Map.of("Guard last", 1, "Other type", 0, "No guard", 1, "Other phase", 0));
    assertThat(firedNames(fired)).containsExactlyInAnyOrder("Guard last", "No guard");
  }

  private static final String UNREACHABLE = """
      segment "Visits"
      when event is page_visit
      then tag "V"
      end

      scoring "Opens"
      when event is email_open
      then add 1 to score
      end

      scoring "Purchases"
      when event is purchase
      then add 5 to score
      end

      alert "Any"
      when contact.score >= 0
      then notify "team@acme.fr" with "hi"
      end
      """;

  /** The groups (numbered by their first phase) whose snapshot an evaluation inserts. */
  private static List<Integer> inserted(CompiledRuleset rules, String eventType,
      List<String> decided) {
    // The pool's one idle session, watched: which groups insert a snapshot.
    KieSession watched = rules.sessions().take();
    List<Integer> groups = new ArrayList<>();
    watched.addEventListener(new org.kie.api.event.rule.DefaultRuleRuntimeEventListener() {
      @Override
      public void objectInserted(org.kie.api.event.rule.ObjectInsertedEvent inserted) {
        groups.add(((CompiledRuleset.PhaseSnapshot) inserted.getObject()).group);
      }
    });
    rules.sessions().giveBack(watched, true);
    Evaluation e = rules.evaluate(Contact.withId("c"), event(eventType), List.of(), NOW);
    e.decisions().forEach(d -> decided.add(d.rule()));
    // The skipped phase's rule still has its trace, written from its phase's snapshot.
    assertThat(e.trace().get(0).why()).isEqualTo("event is page_visit = " + eventType);
    return groups;
  }

  @Test
  void aPhaseNoneOfWhoseRulesTheEventCanReachIsNotRunThroughDrools() {
    // One cycle per phase: segment's only rule needs a page visit, scoring's "Opens" may
    // match, alert has no guard.
    CompiledRuleset rules = Rulesets.compile(UNREACHABLE, PhaseGroups.Mode.SEPARATE);
    List<String> decided = new ArrayList<>();
    assertThat(inserted(rules, "email_open", decided)).containsExactly(
        io.relais.dsl.ast.RuleKind.SCORING.phase(), io.relais.dsl.ast.RuleKind.ALERT.phase());
    assertThat(decided).containsExactly("Opens", "Any");
  }

  @Test
  void aGroupNoneOfWhoseRulesTheEventCanReachIsNotRunThroughDrools() {
    // Segment to loyalty share a cycle (alert reads the score that scoring writes): it runs
    // when one of its phases can match, and not at all when none can.
    CompiledRuleset rules = Rulesets.compile(UNREACHABLE);
    assertThat(rules.groups()).hasToString("[1, 1, 1, 1, 1, 6]");
    List<String> decided = new ArrayList<>();
    assertThat(inserted(rules, "email_open", decided)).containsExactly(1, 6);
    assertThat(decided).containsExactly("Opens", "Any");
    decided.clear();
    assertThat(inserted(rules, "form_submit", decided)).containsExactly(6);
    assertThat(decided).containsExactly("Any");
  }

  @Test
  void withoutAnEventNoGuardedRuleRunsItsCondition() {
    BitSet fired = new BitSet();
    assertThat(conditionCalls(Optional.empty(), fired)).containsExactlyInAnyOrderEntriesOf(
        Map.of("Guard last", 0, "Other type", 0, "No guard", 1, "Other phase", 0));
    assertThat(firedNames(fired)).containsExactly("No guard");
  }
}
