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
 * The network, not the rules, dispatches on phase, event type, equalities and presence: a
 * rule whose phase is not the snapshot's, or whose {@code event is T} guard or an equality or
 * presence test at the front of its condition does not hold, never runs its own function.
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
          rule.activeFrom(), rule.activeUntil(), rule.eventGuard(), rule.alphaTests(), counting,
          rule.actions()));
    }
    int scoring = io.relais.dsl.ast.RuleKind.SCORING.phase();
    KieSession session = DroolsModel.build(counted).newKieSession();
    try {
      ContactFacts facts = new ContactFacts(Contact.withId("c"), event,
          event.map(List::of).orElse(List.of()), NOW, ZoneOffset.UTC);
      session.insert(new CompiledRuleset.PhaseSnapshot(scoring, facts, fired, new BitSet()));
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

  private static final String EQUALITIES = """
      segment "Home"
      when event is page_visit and event.title = "home" and has tag "VIP" and contact.score >= 0
      then tag "H"
      end

      segment "Home again"
      when event is page_visit and event.title = "home" and contact.score >= 1
      then tag "H2"
      end

      segment "Offers"
      when event is page_visit and event.title = "offers" and contact.score >= 0
      then tag "O"
      end

      segment "Pricing"
      when event is page_visit and event.title = "pricing"
      then tag "P"
      end

      segment "After a quiet term"
      when contact.score >= 0 and event is page_visit and event.title = "home"
      then tag "Q"
      end

      segment "After an attribute"
      when event is page_visit and event.seconds >= 0 and event.title = "home"
      then tag "N"
      end
      """;

  /** How many times each rule's own function ran for one page visit titled {@code title}. */
  private static Map<String, Integer> ownFunctionCalls(CompiledRuleset rules, String title,
      Contact contact, BitSet fired) {
    List<CompiledRuleset.CompiledRule> counted = new ArrayList<>();
    AtomicInteger[] calls = new AtomicInteger[rules.rules().size()];
    for (CompiledRuleset.CompiledRule rule : rules.rules()) {
      AtomicInteger n = new AtomicInteger();
      calls[rule.index()] = n;
      Condition original = rule.condition();
      counted.add(new CompiledRuleset.CompiledRule(rule.index(), rule.ref(), rule.phase(),
          rule.activeFrom(), rule.activeUntil(), rule.eventGuard(), rule.alphaTests(),
          (f, c, t) -> {
            n.incrementAndGet();
            return original.test(f, c, t);
          }, rule.actions()));
    }
    KieSession session = DroolsModel.build(counted).newKieSession();
    try {
      Optional<Event> event = Optional.of(new Event("e", "page_visit", NOW, Map.of("title", title)));
      ContactFacts facts = new ContactFacts(contact, event, List.of(event.get()), NOW, ZoneOffset.UTC);
      CompiledRuleset.PhaseSnapshot snapshot = new CompiledRuleset.PhaseSnapshot(
          io.relais.dsl.ast.RuleKind.SEGMENT.phase(), facts, fired, new BitSet());
      session.insert(snapshot);
      // The member facts of the contact's tags and segments that rules are reached through.
      DroolsModel.Anchors.of(counted).insert(session, snapshot, new ArrayList<>());
      session.fireAllRules();
    } finally {
      session.dispose();
    }
    Map<String, Integer> byName = new java.util.LinkedHashMap<>();
    rules.rules().forEach(r -> byName.put(r.ref().name(), calls[r.index()].get()));
    return byName;
  }

  @Test
  void equalityAndPresenceTestsAtTheFrontOfAConditionAreTheNetworksOwn() {
    CompiledRuleset rules = Rulesets.compile(EQUALITIES);
    Contact vip = Contact.fromJson(Map.of("id", "c", "score", 5, "tags", Map.of("VIP", 1)));
    BitSet fired = new BitSet();

    // Only the rules whose title test (and tag test) held ran their own function; the rule
    // that tests the title after an attribute that could be of the wrong type runs it
    // whatever the title, the one after a quiet comparison of the score does not.
    assertThat(ownFunctionCalls(rules, "home", vip, fired)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "Home", 1, "Home again", 1, "Offers", 0, "Pricing", 0, "After a quiet term", 1,
        "After an attribute", 1));
    assertThat(fired.stream().mapToObj(i -> rules.rules().get(i).ref().name()))
        .containsExactly("Home", "Home again", "After a quiet term");

    BitSet none = new BitSet();
    assertThat(ownFunctionCalls(rules, "contact", Contact.withId("c"), none)).containsExactlyInAnyOrderEntriesOf(
        Map.of("Home", 0, "Home again", 0, "Offers", 0, "Pricing", 0, "After a quiet term", 0,
            "After an attribute", 1));
    assertThat(none.isEmpty()).isTrue();
  }

  @Test
  void equalTestsAreOneNodeSharedByTheirRules() {
    CompiledRuleset rules = Rulesets.compile(EQUALITIES);
    // The alpha nodes under the snapshot's type: the group (1), the event type (1), the titles
    // home, offers, pricing (3, "home" shared by two rules), the tag VIP (1), and one own
    // function per rule (6).
    List<String> ids = new ArrayList<>();
    org.drools.core.reteoo.ObjectTypeNode snapshots = ((org.drools.core.impl.InternalRuleBase) rules.kieBase())
        .getRete().getObjectTypeNodes().stream()
        .filter(n -> n.getObjectType().isAssignableFrom(CompiledRuleset.PhaseSnapshot.class)
            && !n.getObjectType().isAssignableFrom(Object.class))
        .findFirst().orElseThrow();
    collect(snapshots.getObjectSinkPropagator().getSinks(), ids);
    assertThat(ids).hasSize(1 + 1 + 3 + 1 + 6);
    assertThat(ids.stream().filter(id -> id.startsWith("eq-"))).containsExactlyInAnyOrder("eq-0-0", "eq-0-1", "eq-0-2");
    assertThat(ids.stream().filter(id -> id.startsWith("tag-"))).containsExactly("tag-0");
  }

  private static final String PRESENCES = """
      segment "Has A"
      when has tag "A" and contact.score >= 0
      then tag "X"
      end

      segment "Has B"
      when has tag "B" and contact.score >= 0
      then tag "X"
      end

      segment "Has C"
      when tag "C" >= 2
      then tag "X"
      end

      segment "In S"
      when in segment "S" and event is page_visit and event.title = "home"
      then tag "X"
      end

      segment "A and a title"
      when has tag "A" and event is page_visit and event.title = "home"
      then tag "X"
      end

      segment "A after a title"
      when event is page_visit and event.title = "home" and has tag "A"
      then tag "X"
      end
      """;

  @Test
  void aRuleWhoseTestsBeginWithATagOrSegmentIsReachedOnlyThroughOneTheContactHas() {
    CompiledRuleset rules = Rulesets.compile(PRESENCES);
    Contact member = Contact.fromJson(Map.of("id", "c", "score", 5, "tags", Map.of("A", 1, "C", 1),
        "segments", List.of("S")));
    BitSet fired = new BitSet();
    // "Has B" and "Has C" are stopped by the hash on the contact's tags (C once is not C >= 2,
    // which its own function decides); a rule testing the tag after a title tests it there.
    assertThat(ownFunctionCalls(rules, "home", member, fired)).containsExactlyInAnyOrderEntriesOf(
        Map.of("Has A", 1, "Has B", 0, "Has C", 1, "In S", 1, "A and a title", 1,
            "A after a title", 1));
    assertThat(fired.stream().mapToObj(i -> rules.rules().get(i).ref().name()))
        .containsExactly("Has A", "In S", "A and a title", "A after a title");

    BitSet none = new BitSet();
    assertThat(ownFunctionCalls(rules, "home", Contact.withId("c"), none))
        .containsExactlyInAnyOrderEntriesOf(Map.of("Has A", 0, "Has B", 0, "Has C", 0, "In S", 0,
            "A and a title", 0, "A after a title", 0));
    assertThat(none.isEmpty()).isTrue();

    // The tags' member facts reach their rules through one node per tag (hashed on the name);
    // the snapshot keeps the tag test that comes after a title.
    assertThat(alphaIds(rules, Member.Tag.class).stream().filter(id -> id.startsWith("member-")))
        .containsExactlyInAnyOrder("member-tag-0", "member-tag-1", "member-tag-2");
    assertThat(alphaIds(rules, Member.Segment.class).stream().filter(id -> id.startsWith("member-")))
        .containsExactly("member-segment-3");
    assertThat(alphaIds(rules, CompiledRuleset.PhaseSnapshot.class).stream()
        .filter(id -> id.startsWith("tag-"))).containsExactly("tag-0");
  }

  @Test
  void aSnapshotComesWithTheMemberFactsOfItsOwnGroupsRulesOnly() {
    // Segment rules are reached through tags A, B, C and segment S; the scoring rule through
    // nothing, so a scoring snapshot comes without member facts.
    CompiledRuleset rules = Rulesets.compile(PRESENCES + """
        scoring "Scores"
        when contact.score >= 0
        then add 1 to score
        end
        """);
    Contact member = Contact.fromJson(Map.of("id", "c", "score", 5, "tags", Map.of("A", 1, "C", 1),
        "segments", List.of("S")));
    DroolsModel.Anchors anchors = DroolsModel.Anchors.of(rules.rules());
    KieSession session = rules.kieBase().newKieSession();
    try {
      ContactFacts facts = new ContactFacts(member, Optional.empty(), List.of(), NOW, ZoneOffset.UTC);
      List<org.kie.api.runtime.rule.FactHandle> handles = new ArrayList<>();
      anchors.insert(session, new CompiledRuleset.PhaseSnapshot(
          io.relais.dsl.ast.RuleKind.SCORING.phase(), facts, new BitSet(), new BitSet()), handles);
      assertThat(handles).isEmpty();
      anchors.insert(session, new CompiledRuleset.PhaseSnapshot(
          io.relais.dsl.ast.RuleKind.SEGMENT.phase(), facts, new BitSet(), new BitSet()), handles);
      assertThat(handles).extracting(h -> ((Member) session.getObject(h)).name)
          .containsExactlyInAnyOrder("A", "C", "S");
    } finally {
      session.dispose();
    }
  }

  /** The ids of the alpha nodes under the object type node of {@code type}. */
  private static List<String> alphaIds(CompiledRuleset rules, Class<?> type) {
    List<String> ids = new ArrayList<>();
    org.drools.core.reteoo.ObjectTypeNode node = ((org.drools.core.impl.InternalRuleBase) rules.kieBase())
        .getRete().getObjectTypeNodes().stream()
        .filter(n -> n.getObjectType().isAssignableFrom(type)
            && !n.getObjectType().isAssignableFrom(Object.class))
        .findFirst().orElseThrow();
    collect(node.getObjectSinkPropagator().getSinks(), ids);
    return ids;
  }

  private static void collect(org.drools.core.reteoo.ObjectSink[] sinks, List<String> ids) {
    for (org.drools.core.reteoo.ObjectSink sink : sinks) {
      if (sink instanceof org.drools.core.reteoo.AlphaNode alpha) {
        // "Constraint for 'eq-0-1' (index: ...)": the constraint's id.
        String text = alpha.getConstraint().toString();
        ids.add(text.substring(text.indexOf('\'') + 1, text.indexOf('\'', text.indexOf('\'') + 1)));
        collect(alpha.getObjectSinkPropagator().getSinks(), ids);
      }
    }
  }

  @Test
  void withoutAnEventNoGuardedRuleRunsItsCondition() {
    BitSet fired = new BitSet();
    assertThat(conditionCalls(Optional.empty(), fired)).containsExactlyInAnyOrderEntriesOf(
        Map.of("Guard last", 0, "Other type", 0, "No guard", 1, "Other phase", 0));
    assertThat(firedNames(fired)).containsExactly("No guard");
  }
}
