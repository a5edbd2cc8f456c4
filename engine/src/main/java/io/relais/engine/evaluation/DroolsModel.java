package io.relais.engine.evaluation;

import static org.drools.model.DSL.on;
import static org.drools.model.PatternDSL.alphaIndexedBy;
import static org.drools.model.PatternDSL.declarationOf;
import static org.drools.model.PatternDSL.pattern;
import static org.drools.model.PatternDSL.rule;

import io.relais.engine.compile.Trace;
import io.relais.engine.contact.ContactFacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.drools.model.Index;
import org.drools.model.Model;
import org.drools.model.PatternDSL;
import org.drools.model.Rule;
import org.drools.model.RuleItemBuilder;
import org.drools.model.Variable;
import org.drools.model.functions.Function1;
import org.drools.model.functions.Predicate1;
import org.drools.model.impl.ModelImpl;
import org.drools.modelcompiler.KieBaseBuilder;
import org.kie.api.KieBase;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The Drools side of a ruleset, built by construction with the executable model: the facts
 * rules match and one Drools rule per DSL rule. The network does the dispatching: a snapshot
 * reaches only the rules of the phases of its group (an alpha node hashed on the group, shared
 * by every rule of those phases; a group is one phase or several, see PhaseGroups), and a rule guarded by {@code event is T} also needs the snapshot's event
 * type to be T (an alpha node hashed on the type, shared by every rule with that guard); only
 * rules past both run their remaining condition. Every rule is a chain of alpha nodes: no join.
 */
final class DroolsModel {

  /** The Drools package of generated rules; rule names there are indices, never user text. */
  static final String PACKAGE = "io.relais.generated";

  private static final int GROUP_INDEX = 1;
  private static final int TYPE_INDEX = 2;
  /** The hash index of a member fact's name (a tag's, a segment's). */
  private static final int MEMBER_INDEX = 3;
  /** The hash index of field {@code n} of the equality tests is {@code FIELD_INDEX + n}. */
  private static final int FIELD_INDEX = 4;

  private DroolsModel() {}

  /** One cycle per phase: a snapshot reaches the rules of its phase only. */
  static KieBase build(List<CompiledRuleset.CompiledRule> rules) {
    return build(rules, phase -> phase);
  }

  /**
   * {@code groupOf} gives each phase its group (PhaseGroups): a snapshot carries a group and
   * reaches the rules of every phase of that group.
   */
  static KieBase build(List<CompiledRuleset.CompiledRule> rules,
      java.util.function.IntUnaryOperator groupOf) {
    Variable<CompiledRuleset.PhaseSnapshot> snapshot =
        declarationOf(CompiledRuleset.PhaseSnapshot.class);
    Variable<Member.Tag> tag = declarationOf(Member.Tag.class);
    Variable<Member.Segment> segment = declarationOf(Member.Segment.class);
    // Constraint ids name what they test, so equal tests are one shared node; event types are
    // numbered so that no user text becomes part of an id.
    Map<String, Integer> typeIds = new HashMap<>();
    Nodes<CompiledRuleset.PhaseSnapshot> onSnapshot = new Nodes<>(s -> s, typeIds);
    Nodes<Member.Tag> onTag = new Nodes<>(m -> m.snapshot, typeIds);
    Nodes<Member.Segment> onSegment = new Nodes<>(m -> m.snapshot, typeIds);
    List<Rule> drools = new ArrayList<>();
    for (CompiledRuleset.CompiledRule rule : rules) {
      int index = rule.index();
      int group = groupOf.applyAsInt(rule.phase());
      AlphaTests.Present anchor = anchor(rule);
      RuleItemBuilder<?> pattern;
      RuleItemBuilder<?> consequence;
      if (anchor == null) {
        pattern = onSnapshot.chain(pattern(snapshot), rule, group, null);
        consequence = on(snapshot).execute(s -> s.fired.set(index));
      } else if (anchor.segment()) {
        pattern = onSegment.chain(onSegment.member(pattern(segment), anchor), rule, group, anchor);
        consequence = on(segment).execute(m -> m.snapshot.fired.set(index));
      } else {
        pattern = onTag.chain(onTag.member(pattern(tag), anchor), rule, group, anchor);
        consequence = on(tag).execute(m -> m.snapshot.fired.set(index));
      }
      drools.add(rule(PACKAGE, "rule-" + index)
          .metadata("rule", rule.ref().name())
          .metadata("source", rule.ref().source())
          .build(pattern, consequence));
    }
    Model model = new ModelImpl().withRules(drools);
    return KieBaseBuilder.createKieBaseFromModel(model);
  }

  /**
   * The presence test a rule is reached through, when its network tests begin with one ({@code
   * has tag "X" and ...}, {@code in segment "S" and ...}): the rule matches the member fact of
   * that tag or segment (Member), hashed on its name, instead of the snapshot. Without it, a
   * presence test is an alpha node of its own under the group, not hashed: a thousand rules
   * testing a thousand tags ran a thousand lookups in the contact's tags per snapshot; with it,
   * a snapshot reaches only the rules of the tags and segments its contact has. A rule whose
   * tests begin with a hashed equality keeps the presence test after it (it is reached through
   * that hash already).
   */
  static AlphaTests.Present anchor(CompiledRuleset.CompiledRule rule) {
    List<AlphaTests.Test> tests = rule.alphaTests();
    return !tests.isEmpty() && tests.get(0) instanceof AlphaTests.Present present ? present : null;
  }

  /**
   * The tags and segments rules are reached through ({@link #anchor}), per group of phases: a
   * snapshot's member facts are those of its contact's tags and segments among its own group's
   * (a cycle whose rules test no tag's presence inserts none: each member fact is an insert, a
   * hashed propagation and a delete for nothing).
   */
  record Anchors(Map<Integer, Set<String>> tags, Map<Integer, Set<String>> segments) {

    /** One group per phase (DroolsModel.build(rules)). */
    static Anchors of(List<CompiledRuleset.CompiledRule> rules) {
      return of(rules, phase -> phase);
    }

    /** {@code groupOf} gives each phase its group, as it does to {@link DroolsModel#build}. */
    static Anchors of(List<CompiledRuleset.CompiledRule> rules,
        java.util.function.IntUnaryOperator groupOf) {
      Map<Integer, Set<String>> tags = new HashMap<>();
      Map<Integer, Set<String>> segments = new HashMap<>();
      for (CompiledRuleset.CompiledRule rule : rules) {
        AlphaTests.Present anchor = anchor(rule);
        if (anchor != null) {
          (anchor.segment() ? segments : tags).computeIfAbsent(
              groupOf.applyAsInt(rule.phase()), g -> new HashSet<>()).add(anchor.name());
        }
      }
      return new Anchors(frozen(tags), frozen(segments));
    }

    private static Map<Integer, Set<String>> frozen(Map<Integer, Set<String>> byGroup) {
      Map<Integer, Set<String>> copy = new HashMap<>();
      byGroup.forEach((group, names) -> copy.put(group, Set.copyOf(names)));
      return Map.copyOf(copy);
    }

    /**
     * Inserts the member facts of {@code snapshot}'s contact into {@code session}, adding their
     * handles to {@code handles}: one per tag it has and segment it is in that a rule of the
     * snapshot's group is reached through, tested as the rules' presence tests test them.
     * Walks the shorter of the two sets.
     */
    void insert(KieSession session, CompiledRuleset.PhaseSnapshot snapshot,
        List<FactHandle> handles) {
      ContactFacts facts = snapshot.facts;
      Set<String> tagged = tags.get(snapshot.group);
      if (tagged != null) {
        Map<String, Integer> has = facts.contact().tags();
        for (String name : has.size() <= tagged.size() ? has.keySet() : tagged) {
          if (tagged.contains(name) && facts.tagCount(name) >= 1) {
            handles.add(session.insert(new Member.Tag(snapshot, name)));
          }
        }
      }
      Set<String> segmented = segments.get(snapshot.group);
      if (segmented != null) {
        Set<String> in = facts.contact().segments();
        for (String name : in.size() <= segmented.size() ? in : segmented) {
          if (segmented.contains(name) && facts.inSegment(name)) {
            handles.add(session.insert(new Member.Segment(snapshot, name)));
          }
        }
      }
    }
  }

  /**
   * The alpha nodes of the rules matching one type of fact ({@code T}: the snapshot, or a member
   * fact that leads to it): one predicate (and index) object per test, so that equal tests are
   * one node shared by their rules whatever Drools compares.
   */
  private static final class Nodes<T> {
    private final Function1<T, CompiledRuleset.PhaseSnapshot> snapshotOf;
    private final Map<String, Integer> typeIds;
    private final Map<String, Predicate1<T>> predicates = new HashMap<>();
    private final Map<String, Function1<T, String>> keys = new HashMap<>();

    Nodes(Function1<T, CompiledRuleset.PhaseSnapshot> snapshotOf, Map<String, Integer> typeIds) {
      this.snapshotOf = snapshotOf;
      this.typeIds = typeIds;
    }

    /** The member fact of {@code anchor}'s tag or segment: hashed on its name. */
    PatternDSL.PatternDef<T> member(PatternDSL.PatternDef<T> pattern, AlphaTests.Present anchor) {
      String name = anchor.name();
      return pattern.expr("member-" + anchor.id(), m -> name.equals(((Member) m).name),
          alphaIndexedBy(String.class, Index.ConstraintType.EQUAL, MEMBER_INDEX,
              m -> ((Member) m).name, name));
    }

    /**
     * The rule's chain of alpha nodes: its group (hashed), its event type (hashed), its network
     * tests but {@code anchor} (which the member pattern tested), then its own function.
     */
    PatternDSL.PatternDef<T> chain(PatternDSL.PatternDef<T> pattern,
        CompiledRuleset.CompiledRule rule, int group, AlphaTests.Test anchor) {
      Function1<T, CompiledRuleset.PhaseSnapshot> of = snapshotOf;
      pattern = pattern.expr("group-" + group, t -> of.apply(t).group == group,
          alphaIndexedBy(int.class, Index.ConstraintType.EQUAL, GROUP_INDEX,
              t -> of.apply(t).group, group));
      Optional<String> guard = rule.eventGuard();
      if (guard.isPresent()) {
        // The event type is a field of the snapshot, not a fact of its own: a second hashed
        // alpha test on the same fact, so a rule is a chain of alpha nodes and no join.
        String type = guard.get();
        int typeId = typeIds.computeIfAbsent(type, x -> typeIds.size());
        pattern = pattern.expr("event-type-" + typeId, t -> type.equals(of.apply(t).eventType),
            alphaIndexedBy(String.class, Index.ConstraintType.EQUAL, TYPE_INDEX,
                t -> of.apply(t).eventType, type));
      }
      // Equality, first-segment and presence tests of the condition: shared, hashed on a field.
      for (AlphaTests.Test test : rule.alphaTests()) {
        if (test == anchor) {
          continue;
        }
        Predicate1<T> predicate =
            predicates.computeIfAbsent(test.id(), id -> t -> test.test(of.apply(t).facts));
        if (test.field() >= 0) {
          Function1<T, String> key =
              keys.computeIfAbsent(test.id(), id -> t -> test.key(of.apply(t).facts));
          pattern = pattern.expr(test.id(), predicate, alphaIndexedBy(String.class,
              Index.ConstraintType.EQUAL, FIELD_INDEX + test.field(), key, test.indexKey()));
        } else {
          pattern = pattern.expr(test.id(), predicate);
        }
      }
      // The rest of the condition; its id holds the rule's index, so it is the rule's own.
      return pattern.expr("relais-rule-" + rule.index(), t -> matches(rule, of.apply(t)));
    }
  }

  /**
   * The rule's condition, recording what it compares into the evaluation's trace (the values,
   * not their text: see Trace) in this same pass; the entry is written out only if read.
   */
  private static boolean matches(CompiledRuleset.CompiledRule rule,
      CompiledRuleset.PhaseSnapshot snapshot) {
    int index = rule.index();
    if (!rule.activeOn(snapshot.today)) {
      snapshot.notes.write(index, "not active on " + snapshot.today);
      return false;
    }
    Trace trace = snapshot.trace;
    int from = trace.start();
    try {
      // The whole condition, its event guard included, so that the entry shows every term as
      // the rule reads (`event is T = T`): a second test of a string the network just hashed.
      return rule.condition().test(snapshot.facts, null, trace);
    } catch (RuntimeException e) {
      // Valid means runs: a condition that fails on this contact's data is false for it, and
      // the evaluation says so (the rule is named in the warnings).
      snapshot.notes.write(index, "could not be evaluated: " + Failures.describe(rule.ref().name(), e));
      snapshot.failed.set(rule.index());
      return false;
    } finally {
      snapshot.notes.span(index, from, trace.end());
    }
  }
}
