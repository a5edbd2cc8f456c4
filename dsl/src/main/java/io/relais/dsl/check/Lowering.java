package io.relais.dsl.check;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.Template;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.format.Formatter;
import io.relais.dsl.program.Cond;
import io.relais.dsl.program.Message;
import io.relais.dsl.program.Operation;
import io.relais.dsl.program.Origins;
import io.relais.dsl.program.Period;
import io.relais.dsl.program.Program;
import io.relais.dsl.program.Value;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * From the checked syntax tree and its {@link Resolutions} to the checked {@link Program}: each
 * name becomes what it resolved to, each {@code and} / {@code or} chain one node (flattened
 * without recursion, so a chain of any length lowers in constant stack), each duration a
 * {@link Period}. Other nodes recurse, as deep as the parser's nesting budget allows.
 *
 * <p>It runs on rulesets without errors only; meeting an unresolved name here is a bug of
 * ours, not a mistake of the author's, and throws.
 */
final class Lowering {

  private final Resolutions resolutions;
  private final Map<String, CheckedRuleset.Campaign> campaigns = new LinkedHashMap<>();
  private final Map<String, CheckedRuleset.Reward> rewards = new LinkedHashMap<>();
  /** The table decisions the rule being lowered reads, in the order it reads them. */
  private Set<Value.Decision> reads = new LinkedHashSet<>();
  private final Values values = new Values();
  private final Conds conds = new Conds();
  private final Operations operations = new Operations();
  /** Each condition and value lowered, to the syntax it came from. */
  private final IdentityHashMap<Object, Expr> origins = new IdentityHashMap<>();

  private Lowering(Resolutions resolutions, List<CheckedRuleset.Campaign> campaigns,
      List<CheckedRuleset.Reward> rewards) {
    this.resolutions = resolutions;
    campaigns.forEach(c -> this.campaigns.put(c.name(), c));
    rewards.forEach(r -> this.rewards.put(r.name(), r));
  }

  /** The program of a checked ruleset's parts. */
  static Program lower(List<CheckedRuleset.Rule> rules, List<CheckedRuleset.Campaign> campaigns,
      List<CheckedRuleset.Reward> rewards, List<CheckedRuleset.Table> tables,
      Optional<String> defaultOwner, Resolutions resolutions) {
    Lowering lowering = new Lowering(resolutions, campaigns, rewards);
    List<Program.Rule> lowered = new ArrayList<>(rules.size());
    for (CheckedRuleset.Rule rule : rules) {
      lowered.add(lowering.rule(rule));
    }
    lowering.reads = new LinkedHashSet<>(); // exits and inputs belong to no rule's trace
    List<Program.Exit> exits = new ArrayList<>();
    for (CheckedRuleset.Campaign campaign : campaigns) {
      campaign.syntax().exitWhen().ifPresent(e -> exits.add(new Program.Exit(campaign.name(),
          lowering.condition(e), e.span().fileAndLine())));
    }
    List<Program.Table> loweredTables = new ArrayList<>();
    for (CheckedRuleset.Table table : tables) {
      Map<String, Value> inputs = new LinkedHashMap<>();
      table.inputs().forEach(b -> inputs.put(b.input(), lowering.value(b.value())));
      loweredTables.add(new Program.Table(table.name(), inputs));
    }
    return new Program(lowered, exits, loweredTables, defaultOwner, new Origins(lowering.origins));
  }

  private Program.Rule rule(CheckedRuleset.Rule rule) {
    reads = new LinkedHashSet<>();
    var syntax = rule.syntax();
    Optional<Cond> when = syntax.when().map(this::condition);
    List<Operation> ops = new ArrayList<>(syntax.actions().size());
    for (Action action : syntax.actions()) {
      ops.add(action.accept(operations));
    }
    return new Program.Rule(rule.name(), rule.source(), rule.kind(), rule.priority(),
        syntax.activeFrom(), syntax.activeUntil(), when, when.flatMap(Lowering::eventGuard),
        ops, List.copyOf(reads));
  }

  /**
   * The event type {@code when} requires of the triggering event: {@code event is T} alone or
   * as a term of its top-level {@code and}. Two different ones can never both hold (the checker
   * warns), so the first is as good as any.
   */
  static Optional<String> eventGuard(Cond when) {
    return when.accept(WHEN_GUARD);
  }

  private static final EventGuard WHEN_GUARD = new EventGuard(true);
  private static final EventGuard TERM_GUARD = new EventGuard(false);

  /** {@code event is T}'s type; at the {@code top}, also the first such term of an {@code and}. */
  private static final class EventGuard implements Cond.Visitor<Optional<String>> {
    private final boolean top;

    EventGuard(boolean top) {
      this.top = top;
    }

    @Override
    public Optional<String> all(Cond.All c) {
      if (!top) {
        return Optional.empty();
      }
      for (Cond term : c.terms()) {
        Optional<String> guard = term.accept(TERM_GUARD);
        if (guard.isPresent()) {
          return guard;
        }
      }
      return Optional.empty();
    }

    @Override
    public Optional<String> any(Cond.Any c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> not(Cond.Not c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> compare(Cond.Compare c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> between(Cond.Between c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> inList(Cond.InList c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> contains(Cond.Contains c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> matches(Cond.Matches c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> isEmpty(Cond.IsEmpty c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> hasTag(Cond.HasTag c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> inSegment(Cond.InSegment c) {
      return Optional.empty();
    }

    @Override
    public Optional<String> eventIs(Cond.EventIs c) {
      return Optional.of(c.eventType());
    }

    @Override
    public Optional<String> isTrue(Cond.IsTrue c) {
      return Optional.empty();
    }
  }

  Cond condition(Expr expr) {
    Cond lowered = expr.accept(conds);
    origins.put(lowered, expr);
    return lowered;
  }

  Value value(Expr expr) {
    Value lowered = expr.accept(values);
    origins.put(lowered, expr);
    return lowered;
  }

  private Resolution resolution(Expr expr) {
    return resolutions.resolutionOf(expr)
        .orElseThrow(() -> new IllegalStateException("unresolved name at " + expr.span()));
  }

  // How the trace names a compared value: as the author wrote it, in canonical form.
  private static String label(Expr expr) {
    if (expr instanceof Expr.TagCount t) {
      return "tag " + t.tag().text();
    }
    return Formatter.expr(expr);
  }

  /** {@code a and b and c} as [a, b, c] (one operator only), without recursion. */
  private static List<Expr> terms(Expr.Logical top) {
    List<Expr> terms = new ArrayList<>();
    Expr e = top;
    while (e instanceof Expr.Logical l && l.op() == top.op()) {
      terms.add(l.right());
      e = l.left();
    }
    terms.add(e);
    Collections.reverse(terms);
    return terms;
  }

  // ---- conditions ----

  /** Conditions; a value in a condition's place is {@link Cond.IsTrue}. */
  private final class Conds implements Expr.Visitor<Cond> {

    private Cond isTrue(Expr e) {
      return new Cond.IsTrue(value(e), label(e));
    }

    @Override
    public Cond logical(Expr.Logical e) {
      List<Expr> terms = terms(e);
      List<Cond> lowered = new ArrayList<>(terms.size());
      for (Expr term : terms) {
        lowered.add(condition(term));
      }
      return e.op() == Expr.LogicalOp.AND ? new Cond.All(lowered) : new Cond.Any(lowered);
    }

    @Override
    public Cond not(Expr.Not e) {
      return new Cond.Not(condition(e.operand()));
    }

    @Override
    public Cond compare(Expr.Compare e) {
      String label = label(e.left());
      Value left = value(e.left());
      return new Cond.Compare(e.op(), left, value(e.right()), label);
    }

    @Override
    public Cond between(Expr.Between e) {
      Value v = value(e.value());
      Value low = value(e.low());
      return new Cond.Between(v, low, value(e.high()), label(e.value()));
    }

    @Override
    public Cond inList(Expr.InList e) {
      Value v = value(e.value());
      List<Value> items = new ArrayList<>(e.items().size());
      for (Expr item : e.items()) {
        items.add(value(item));
      }
      return new Cond.InList(v, items, e.negated(), label(e.value()));
    }

    @Override
    public Cond contains(Expr.Contains e) {
      Value v = value(e.value());
      return new Cond.Contains(v, value(e.needle()), label(e.value()));
    }

    @Override
    public Cond matches(Expr.Matches e) {
      return new Cond.Matches(value(e.value()), e.glob().value(), label(e.value()));
    }

    @Override
    public Cond isEmpty(Expr.IsEmpty e) {
      return new Cond.IsEmpty(value(e.value()), e.negated(), label(e.value()));
    }

    @Override
    public Cond hasTag(Expr.HasTag e) {
      return new Cond.HasTag(e.tag().text());
    }

    @Override
    public Cond inSegment(Expr.InSegment e) {
      return new Cond.InSegment(e.segment().text());
    }

    @Override
    public Cond eventIs(Expr.EventIs e) {
      return new Cond.EventIs(e.type().text());
    }

    @Override
    public Cond numberLit(Expr.NumberLit e) {
      return isTrue(e);
    }

    @Override
    public Cond textLit(Expr.TextLit e) {
      return isTrue(e);
    }

    @Override
    public Cond boolLit(Expr.BoolLit e) {
      return isTrue(e);
    }

    @Override
    public Cond dateLit(Expr.DateLit e) {
      return isTrue(e);
    }

    @Override
    public Cond nameRef(Expr.NameRef e) {
      return isTrue(e);
    }

    @Override
    public Cond path(Expr.Path e) {
      return isTrue(e);
    }

    @Override
    public Cond tagCount(Expr.TagCount e) {
      return isTrue(e);
    }

    @Override
    public Cond count(Expr.Count e) {
      return isTrue(e);
    }

    @Override
    public Cond sum(Expr.Sum e) {
      return isTrue(e);
    }

    @Override
    public Cond daysSinceLast(Expr.DaysSinceLast e) {
      return isTrue(e);
    }

    @Override
    public Cond decisionRef(Expr.DecisionRef e) {
      return isTrue(e);
    }

    @Override
    public Cond arithmetic(Expr.Arithmetic e) {
      return isTrue(e);
    }
  }

  // ---- values ----

  /** Values; a condition in a value's place is {@link Value.Test}. */
  private final class Values implements Expr.Visitor<Value> {

    private Value test(Expr e) {
      return new Value.Test(condition(e));
    }

    @Override
    public Value numberLit(Expr.NumberLit e) {
      return new Value.Literal(e.value(), ValueType.NUMBER);
    }

    @Override
    public Value textLit(Expr.TextLit e) {
      return new Value.Literal(e.value(), ValueType.TEXT);
    }

    @Override
    public Value boolLit(Expr.BoolLit e) {
      return new Value.Literal(e.value(), ValueType.BOOLEAN);
    }

    @Override
    public Value dateLit(Expr.DateLit e) {
      return new Value.Literal(e.value(), ValueType.DATE);
    }

    @Override
    public Value nameRef(Expr.NameRef e) {
      return resolution(e).accept(names);
    }

    @Override
    public Value path(Expr.Path e) {
      return resolution(e).accept(names);
    }

    @Override
    public Value tagCount(Expr.TagCount e) {
      return new Value.TagCount(e.tag().text());
    }

    @Override
    public Value count(Expr.Count e) {
      return new Value.Count(e.type().text(), e.where().map(Lowering.this::condition),
          e.within().map(Period::of), Formatter.expr(e));
    }

    @Override
    public Value sum(Expr.Sum e) {
      return new Value.Sum(e.type().text(), e.attribute().text(),
          e.where().map(Lowering.this::condition), e.within().map(Period::of), Formatter.expr(e));
    }

    @Override
    public Value daysSinceLast(Expr.DaysSinceLast e) {
      return new Value.DaysSinceLast(e.type().text(), Formatter.expr(e));
    }

    @Override
    public Value decisionRef(Expr.DecisionRef e) {
      return resolution(e).accept(names);
    }

    @Override
    public Value arithmetic(Expr.Arithmetic e) {
      Value left = value(e.left());
      return new Value.Arithmetic(e.op(), left, value(e.right()));
    }

    @Override
    public Value hasTag(Expr.HasTag e) {
      return test(e);
    }

    @Override
    public Value inSegment(Expr.InSegment e) {
      return test(e);
    }

    @Override
    public Value eventIs(Expr.EventIs e) {
      return test(e);
    }

    @Override
    public Value compare(Expr.Compare e) {
      return test(e);
    }

    @Override
    public Value between(Expr.Between e) {
      return test(e);
    }

    @Override
    public Value inList(Expr.InList e) {
      return test(e);
    }

    @Override
    public Value contains(Expr.Contains e) {
      return test(e);
    }

    @Override
    public Value matches(Expr.Matches e) {
      return test(e);
    }

    @Override
    public Value isEmpty(Expr.IsEmpty e) {
      return test(e);
    }

    @Override
    public Value not(Expr.Not e) {
      return test(e);
    }

    @Override
    public Value logical(Expr.Logical e) {
      return test(e);
    }
  }

  /** What a resolved name reads. */
  private final Resolution.Visitor<Value> names = new Resolution.Visitor<>() {
    @Override
    public Value contactField(Resolution.ContactField r) {
      String path = r.field().jsonPath();
      // Built-in fields are typed when the contact's JSON is read; declared attributes are
      // read as their declared type.
      boolean declared = path.startsWith("attributes.");
      return new Value.ContactField(path, declared, r.type(),
          "contact." + (declared ? path.substring("attributes.".length()) : path));
    }

    @Override
    public Value triggeringEventAttribute(Resolution.TriggeringEventAttribute r) {
      return new Value.EventAttribute(r.attribute(), r.type());
    }

    @Override
    public Value countedEventAttribute(Resolution.CountedEventAttribute r) {
      return new Value.CountedAttribute(r.eventType(), r.attribute(), r.type());
    }

    @Override
    public Value constantRef(Resolution.ConstantRef r) {
      return new Value.Constant(r.constant().name(), r.constant().value(), r.type());
    }

    @Override
    public Value stageRef(Resolution.StageRef r) {
      return new Value.Literal(r.stage(), ValueType.STAGE);
    }

    @Override
    public Value eventTypeRef(Resolution.EventTypeRef r) {
      throw new IllegalStateException("an event type is not a value: " + r);
    }

    @Override
    public Value decisionValue(Resolution.DecisionValue r) {
      Value.Decision decision = new Value.Decision(r.table(), r.decision(), r.type());
      reads.add(decision);
      return decision;
    }
  };

  // ---- actions ----

  private Message message(Template template) {
    List<Message.Piece> pieces = new ArrayList<>(template.parts().size());
    for (Template.Part part : template.parts()) {
      pieces.add(part.accept(this.pieces));
    }
    return new Message(pieces);
  }

  /** A template's parts as message pieces, each placeholder's name as what it reads. */
  private final Template.Visitor<Message.Piece> pieces = new Template.Visitor<>() {
    @Override
    public Message.Piece text(Template.Text p) {
      return new Message.Text(p.text());
    }

    @Override
    public Message.Piece placeholder(Template.Placeholder p) {
      return new Message.Placeholder(resolutions.resolutionOf(p).accept(names),
          p.fallback().orElse(""));
    }

    @Override
    public Message.Piece decisionPlaceholder(Template.DecisionPlaceholder p) {
      return new Message.Placeholder(resolutions.resolutionOf(p).accept(names),
          p.fallback().orElse(""));
    }
  };

  private static Optional<String> because(Action action) {
    return action.because().map(b -> b.text());
  }

  /** Actions as operations: amounts typed, campaigns and rewards looked up. */
  private final class Operations implements Action.Visitor<Operation> {

    @Override
    public Operation tag(Action.Tag a) {
      return new Operation.Tag(a.tag().text(), a.by().map(Lowering.this::value), because(a));
    }

    @Override
    public Operation untag(Action.Untag a) {
      return new Operation.Untag(a.tag().text(), because(a));
    }

    @Override
    public Operation addToSegment(Action.AddToSegment a) {
      return new Operation.AddToSegment(a.segment().text(), because(a));
    }

    @Override
    public Operation removeFromSegment(Action.RemoveFromSegment a) {
      return new Operation.RemoveFromSegment(a.segment().text(), because(a));
    }

    @Override
    public Operation addScore(Action.AddScore a) {
      return new Operation.AddScore(value(a.amount()), because(a));
    }

    @Override
    public Operation subtractScore(Action.SubtractScore a) {
      return new Operation.SubtractScore(value(a.amount()), because(a));
    }

    @Override
    public Operation setScore(Action.SetScore a) {
      return new Operation.SetScore(value(a.value()), because(a));
    }

    @Override
    public Operation setStage(Action.SetStage a) {
      return new Operation.SetStage(Stage.valueOf(a.stage().text()), because(a));
    }

    @Override
    public Operation advanceStage(Action.AdvanceStage a) {
      return new Operation.AdvanceStage(Stage.valueOf(a.stage().text()), because(a));
    }

    @Override
    public Operation disqualify(Action.Disqualify a) {
      return new Operation.Disqualify(because(a));
    }

    @Override
    public Operation enroll(Action.Enroll a) {
      String name = a.campaign().text();
      CheckedRuleset.Campaign campaign = campaigns.get(name);
      if (campaign == null) {
        throw new IllegalStateException("unknown campaign " + name + " at " + a.span());
      }
      List<Operation.PlannedStep> steps = campaign.steps().stream()
          .map(s -> new Operation.PlannedStep(s.message().text(), Period.of(s.after())))
          .toList();
      return new Operation.Enroll(name, steps, because(a));
    }

    @Override
    public Operation stop(Action.Stop a) {
      return new Operation.Stop(a.campaign().text(), because(a));
    }

    @Override
    public Operation send(Action.Send a) {
      return new Operation.Send(message(a.message()), a.via().orElse(Action.Channel.EMAIL),
          because(a));
    }

    @Override
    public Operation award(Action.Award a) {
      return new Operation.Award(value(a.points()), a.expiringIn().map(Period::of), because(a));
    }

    @Override
    public Operation deduct(Action.Deduct a) {
      return new Operation.Deduct(value(a.points()), because(a));
    }

    @Override
    public Operation grantReward(Action.GrantReward a) {
      CheckedRuleset.Reward reward = rewards.get(a.reward().text());
      if (reward == null) {
        throw new IllegalStateException("unknown reward " + a.reward().text() + " at " + a.span());
      }
      return new Operation.GrantReward(reward.name(), reward.cost(), because(a));
    }

    @Override
    public Operation notify(Action.Notify a) {
      return new Operation.Notify(a.to().map(t -> t.text()), a.via().orElse(Action.Channel.EMAIL),
          message(a.message()), a.atMostOncePer().map(Period::of), because(a));
    }
  }
}
