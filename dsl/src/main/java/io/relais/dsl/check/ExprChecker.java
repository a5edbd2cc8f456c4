package io.relais.dsl.check;

import io.relais.dsl.diagnostic.Suggestions;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.Template;
import io.relais.dsl.ast.ValueType;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.SourceSpan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Types every expression node and resolves every name in it. A node whose type cannot be
 * known (an unknown name, already reported) gets {@code null}, and nothing above it reports
 * again: one mistake, one diagnostic.
 */
final class ExprChecker {

  /**
   * Where an expression sits: {@code guards} are the triggering event types an earlier
   * {@code event is T} guarantees (null: none); {@code counted} is the event type of the
   * enclosing {@code count/sum(... where ...)}, whose attributes bare names read.
   */
  record Scope(Set<String> guards, Vocabulary.EventType counted) {
    static final Scope NONE = new Scope(null, null);

    Scope guardedBy(Set<String> more) {
      return new Scope(more, counted);
    }
  }

  private static final List<String> STAGE_NAMES =
      Arrays.stream(Stage.values()).map(Stage::name).toList();

  private final Vocabulary vocabulary;
  private final Set<String> tiers;
  private final Resolutions resolutions;
  private final List<Diagnostic> diagnostics;
  /** Decision tables (docs/language.md ("Decision tables")); set by the checker. */
  TableChecker tables;
  /** Every {@code tag "X"} and {@code has tag "X"} read, for the tag-never-set warning. */
  final List<Name> testedTags = new ArrayList<>();

  ExprChecker(Vocabulary vocabulary, Set<String> tiers, Resolutions resolutions,
      List<Diagnostic> diagnostics) {
    this.vocabulary = vocabulary;
    this.tiers = tiers;
    this.resolutions = resolutions;
    this.diagnostics = diagnostics;
  }

  /** Checks a condition ({@code when}, {@code exit when}, {@code where}): it must be boolean. */
  void condition(Expr condition, Scope scope) {
    ValueType type = check(condition, scope, null);
    if (type != null && type != ValueType.BOOLEAN) {
      error(Codes.NOT_A_CONDITION, condition.span(),
          "condition must be true or false, not " + describe(type));
    }
  }

  /** Checks a value that must be a number ({@code add N to score}, {@code award N points}). */
  void number(Expr value, Scope scope, String what) {
    ValueType type = check(value, scope, null);
    if (type != null && type != ValueType.NUMBER) {
      error(Codes.NOT_A_NUMBER, value.span(), what + " must be a number, not " + describe(type));
    }
  }

  /** Resolves every placeholder of a template; unknown names are reported at the placeholder. */
  void template(Template template, Scope scope) {
    Template.Visitor<Void> placeholders = new Template.Visitor<>() {
      @Override
      public Void text(Template.Text p) {
        return null;
      }

      @Override
      public Void placeholder(Template.Placeholder p) {
        Resolution r = p.path().size() == 1
            ? bareName(p.path().get(0), p.span(), scope, null)
            : path(p.path(), p.span(), scope);
        if (r != null) {
          resolutions.resolve(p, r);
        }
        return null;
      }

      @Override
      public Void decisionPlaceholder(Template.DecisionPlaceholder p) {
        tables.placeholder(p);
        return null;
      }
    };
    for (Template.Part part : template.parts()) {
      part.accept(placeholders);
    }
  }

  /**
   * The triggering event types {@code e} guarantees when it holds: {@code event is T}, an
   * {@code and} chain holding one, or an {@code or} whose every alternative holds one.
   */
  static Set<String> established(Expr e) {
    return e.accept(ESTABLISHED);
  }

  /** What each node guarantees of the triggering event's type; null for nothing. */
  private static final Expr.Visitor<Set<String>> ESTABLISHED = new Expr.Visitor<>() {
    @Override
    public Set<String> numberLit(Expr.NumberLit e) {
      return null;
    }

    @Override
    public Set<String> textLit(Expr.TextLit e) {
      return null;
    }

    @Override
    public Set<String> boolLit(Expr.BoolLit e) {
      return null;
    }

    @Override
    public Set<String> dateLit(Expr.DateLit e) {
      return null;
    }

    @Override
    public Set<String> nameRef(Expr.NameRef e) {
      return null;
    }

    @Override
    public Set<String> path(Expr.Path e) {
      return null;
    }

    @Override
    public Set<String> tagCount(Expr.TagCount e) {
      return null;
    }

    @Override
    public Set<String> hasTag(Expr.HasTag e) {
      return null;
    }

    @Override
    public Set<String> inSegment(Expr.InSegment e) {
      return null;
    }

    @Override
    public Set<String> eventIs(Expr.EventIs e) {
      return Set.of(e.type().text());
    }

    @Override
    public Set<String> count(Expr.Count e) {
      return null;
    }

    @Override
    public Set<String> sum(Expr.Sum e) {
      return null;
    }

    @Override
    public Set<String> daysSinceLast(Expr.DaysSinceLast e) {
      return null;
    }

    @Override
    public Set<String> decisionRef(Expr.DecisionRef e) {
      return null;
    }

    @Override
    public Set<String> arithmetic(Expr.Arithmetic e) {
      return null;
    }

    @Override
    public Set<String> compare(Expr.Compare e) {
      return null;
    }

    @Override
    public Set<String> between(Expr.Between e) {
      return null;
    }

    @Override
    public Set<String> inList(Expr.InList e) {
      return null;
    }

    @Override
    public Set<String> contains(Expr.Contains e) {
      return null;
    }

    @Override
    public Set<String> matches(Expr.Matches e) {
      return null;
    }

    @Override
    public Set<String> isEmpty(Expr.IsEmpty e) {
      return null;
    }

    @Override
    public Set<String> not(Expr.Not e) {
      return null;
    }

    @Override
    public Set<String> logical(Expr.Logical e) {
      Set<String> result = null;
      for (Expr term : flatten(e)) {
        Set<String> t = established(term);
        if (e.op() == Expr.LogicalOp.AND) {
          result = t == null ? result : result == null ? t : narrow(result, t);
        } else {
          if (t == null) {
            return null;
          }
          result = result == null ? new LinkedHashSet<>(t) : union(result, t);
        }
      }
      return result;
    }
  };

  /** {@code a and b and c} as [a, b, c] (same operator only), without recursion. */
  static List<Expr> flatten(Expr.Logical top) {
    List<Expr> terms = new ArrayList<>();
    Expr e = top;
    while (e instanceof Expr.Logical l && l.op() == top.op()) {
      terms.add(l.right());
      e = l.left();
    }
    terms.add(e);
    java.util.Collections.reverse(terms);
    return terms;
  }

  // When both guards hold the event is of a type in both; an empty meet is a rule that can
  // never fire (reported by Reachability), so the later guard is kept to avoid a cascade.
  private static Set<String> narrow(Set<String> a, Set<String> b) {
    Set<String> meet = new LinkedHashSet<>(a);
    meet.retainAll(b);
    return meet.isEmpty() ? b : meet;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return all;
  }

  // ---- the walk ----

  /** The type of {@code e} (null when unknown); {@code hint} is the other side's type. */
  ValueType check(Expr e, Scope scope, ValueType hint) {
    ValueType type = walk(e, scope, hint);
    resolutions.type(e, type);
    return type;
  }

  private ValueType walk(Expr e, Scope scope, ValueType hint) {
    return e.accept(new Walk(scope, hint));
  }

  /** The type of one node, in its scope; {@code hint} is the other side's type. */
  private final class Walk implements Expr.Visitor<ValueType> {
    private final Scope scope;
    private final ValueType hint;

    Walk(Scope scope, ValueType hint) {
      this.scope = scope;
      this.hint = hint;
    }

    @Override
    public ValueType numberLit(Expr.NumberLit e) {
      return ValueType.NUMBER;
    }

    @Override
    public ValueType textLit(Expr.TextLit e) {
      return ValueType.TEXT;
    }

    @Override
    public ValueType boolLit(Expr.BoolLit e) {
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType dateLit(Expr.DateLit e) {
      return ValueType.DATE;
    }

    @Override
    public ValueType nameRef(Expr.NameRef n) {
      return typeOf(n, bareName(n.name(), n.span(), scope, hint));
    }

    @Override
    public ValueType path(Expr.Path p) {
      return typeOf(p, ExprChecker.this.path(p.parts(), p.span(), scope));
    }

    @Override
    public ValueType tagCount(Expr.TagCount t) {
      testedTags.add(t.tag());
      return ValueType.NUMBER;
    }

    @Override
    public ValueType hasTag(Expr.HasTag t) {
      testedTags.add(t.tag());
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType inSegment(Expr.InSegment e) {
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType eventIs(Expr.EventIs is) {
      eventType(is.type()).ifPresent(t ->
          resolutions.resolve(is, new Resolution.EventTypeRef(t, ValueType.BOOLEAN)));
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType count(Expr.Count c) {
      Optional<Vocabulary.EventType> t = eventType(c.type());
      t.ifPresent(x -> resolutions.resolve(c, new Resolution.EventTypeRef(x, ValueType.NUMBER)));
      c.where().ifPresent(w -> where(w, scope, t));
      return ValueType.NUMBER;
    }

    @Override
    public ValueType sum(Expr.Sum s) {
      return ExprChecker.this.sum(s, scope);
    }

    @Override
    public ValueType daysSinceLast(Expr.DaysSinceLast d) {
      eventType(d.type()).ifPresent(t ->
          resolutions.resolve(d, new Resolution.EventTypeRef(t, ValueType.NUMBER)));
      return ValueType.NUMBER;
    }

    @Override
    public ValueType decisionRef(Expr.DecisionRef d) {
      return tables.decision(d);
    }

    @Override
    public ValueType arithmetic(Expr.Arithmetic a) {
      return ExprChecker.this.arithmetic(a, scope);
    }

    @Override
    public ValueType compare(Expr.Compare c) {
      return ExprChecker.this.compare(c, scope);
    }

    @Override
    public ValueType between(Expr.Between b) {
      return ExprChecker.this.between(b, scope);
    }

    @Override
    public ValueType inList(Expr.InList in) {
      return ExprChecker.this.inList(in, scope);
    }

    @Override
    public ValueType contains(Expr.Contains c) {
      text(c.value(), check(c.value(), scope, null), "contains");
      text(c.needle(), check(c.needle(), scope, ValueType.TEXT), "contains");
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType matches(Expr.Matches m) {
      text(m.value(), check(m.value(), scope, null), "matches");
      check(m.glob(), scope, ValueType.TEXT);
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType isEmpty(Expr.IsEmpty i) {
      check(i.value(), scope, null);
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType not(Expr.Not n) {
      operand(n.operand(), scope, "not");
      return ValueType.BOOLEAN;
    }

    @Override
    public ValueType logical(Expr.Logical l) {
      return ExprChecker.this.logical(l, scope);
    }
  }

  private ValueType typeOf(Expr e, Resolution r) {
    if (r == null) {
      return null;
    }
    resolutions.resolve(e, r);
    return r.type();
  }

  private ValueType logical(Expr.Logical l, Scope scope) {
    String word = l.op() == Expr.LogicalOp.AND ? "and" : "or";
    Scope s = scope;
    for (Expr term : flatten(l)) {
      operand(term, s, word);
      if (l.op() == Expr.LogicalOp.AND) {
        Set<String> guard = established(term);
        if (guard != null) {
          s = s.guardedBy(s.guards() == null ? guard : narrow(s.guards(), guard));
        }
      }
    }
    // The inner nodes of a flattened chain are typed too: every node of the tree has a type.
    Expr e = l;
    while (e instanceof Expr.Logical inner && inner.op() == l.op()) {
      resolutions.type(inner, ValueType.BOOLEAN);
      e = inner.left();
    }
    return ValueType.BOOLEAN;
  }

  private void operand(Expr e, Scope scope, String word) {
    ValueType type = check(e, scope, null);
    if (type != null && type != ValueType.BOOLEAN) {
      error(Codes.NOT_A_CONDITION, e.span(),
          "`" + word + "` needs conditions (true or false), not " + describe(type));
    }
  }

  private void where(Expr where, Scope scope, Optional<Vocabulary.EventType> counted) {
    // An unknown counted type was reported; its where clause is still checked, minus the
    // bare names, which could only be its attributes.
    Scope inner = new Scope(scope.guards(), counted.orElse(UNKNOWN_EVENT));
    condition(where, inner);
  }

  private static final Vocabulary.EventType UNKNOWN_EVENT =
      new Vocabulary.EventType("", java.util.Map.of(), false, SourceSpan.NONE);

  private ValueType sum(Expr.Sum s, Scope scope) {
    Optional<Vocabulary.EventType> t = eventType(s.type());
    if (t.isPresent()) {
      Vocabulary.EventType type = t.get();
      String attribute = s.attribute().text();
      Optional<ValueType> a = type.attribute(attribute);
      if (a.isEmpty()) {
        report(Diagnostic.error(Codes.UNKNOWN_EVENT_ATTRIBUTE, s.attribute().span(),
                type.name() + " has no attribute " + attribute),
            Suggestions.closest(attribute, type.attributeNames()));
      } else if (a.get() != ValueType.NUMBER) {
        error(Codes.NOT_A_NUMBER, s.attribute().span(), "sum needs a number attribute: "
            + type.name() + "." + attribute + " is " + describe(a.get()));
      } else {
        resolutions.resolve(s, new Resolution.EventTypeRef(type, ValueType.NUMBER));
      }
    }
    s.where().ifPresent(w -> where(w, scope, t));
    return ValueType.NUMBER;
  }

  private ValueType arithmetic(Expr.Arithmetic a, Scope scope) {
    ValueType left = check(a.left(), scope, ValueType.NUMBER);
    ValueType right = check(a.right(), scope, ValueType.NUMBER);
    String op = "`" + a.op().symbol() + "`";
    if (left != null && left != ValueType.NUMBER) {
      error(Codes.NOT_A_NUMBER, a.left().span(), op + " needs numbers, not " + describe(left));
    }
    if (right != null && right != ValueType.NUMBER) {
      error(Codes.NOT_A_NUMBER, a.right().span(), op + " needs numbers, not " + describe(right));
    }
    return ValueType.NUMBER;
  }

  private ValueType compare(Expr.Compare c, Scope scope) {
    ValueType left = check(c.left(), scope, null);
    ValueType right = check(c.right(), scope, left);
    if (left == null || right == null) {
      return ValueType.BOOLEAN;
    }
    if (!comparable(left, right)) {
      mismatch(c.left(), left, c.right(), right);
    } else if (isOrdered(c.op()) && !ordered(left)) {
      error(Codes.NOT_ORDERED, c.span(), describe(left) + " cannot be compared with `"
          + c.op().symbol() + "`: only numbers, dates and stages are ordered"
          + (left == ValueType.TEXT ? " (text supports = != in contains matches is empty)" : ""));
    } else {
      tierName(c.left(), c.right());
      tierName(c.right(), c.left());
    }
    return ValueType.BOOLEAN;
  }

  private ValueType between(Expr.Between b, Scope scope) {
    ValueType value = check(b.value(), scope, null);
    ValueType low = check(b.low(), scope, value);
    ValueType high = check(b.high(), scope, value);
    if (value == null) {
      return ValueType.BOOLEAN;
    }
    if (!ordered(value)) {
      error(Codes.NOT_ORDERED, b.value().span(), "between needs a number, a date or a stage, not "
          + describe(value));
      return ValueType.BOOLEAN;
    }
    for (var bound : List.of(new Typed(b.low(), low), new Typed(b.high(), high))) {
      if (bound.type() != null && !comparable(value, bound.type())) {
        error(Codes.TYPE_MISMATCH, bound.expr().span(), "a bound of between must be "
            + describe(value) + " like the value, not " + describe(bound.type()));
      }
    }
    return ValueType.BOOLEAN;
  }

  private record Typed(Expr expr, ValueType type) {}

  private ValueType inList(Expr.InList in, Scope scope) {
    ValueType value = check(in.value(), scope, null);
    for (Expr item : in.items()) {
      ValueType type = check(item, scope, value);
      if (value != null && type != null) {
        if (!comparable(value, type)) {
          error(Codes.TYPE_MISMATCH, item.span(), "a list item must be " + describe(value)
              + " like the value, not " + describe(type));
        } else {
          tierName(in.value(), item);
        }
      }
    }
    return ValueType.BOOLEAN;
  }

  private void text(Expr e, ValueType type, String word) {
    if (type != null && type != ValueType.TEXT) {
      error(Codes.NOT_TEXT, e.span(), word + " works on text, not " + describe(type));
    }
  }

  private void mismatch(Expr left, ValueType lt, Expr right, ValueType rt) {
    Expr other = lt == ValueType.STAGE ? right : rt == ValueType.STAGE ? left : null;
    if (other != null) {
      Diagnostic d = Diagnostic.error(Codes.TYPE_MISMATCH, other.span(),
          "a stage compares with a stage like MQL, not " + describe(lt == ValueType.STAGE ? rt : lt));
      Optional<String> stage = other instanceof Expr.TextLit t
          ? Stage.named(t.value()).map(Stage::name).or(() -> Suggestions.closest(t.value(), STAGE_NAMES))
          : Optional.empty();
      report(d, stage);
      return;
    }
    error(Codes.TYPE_MISMATCH, right.span(),
        "cannot compare " + describe(lt) + " with " + describe(rt));
  }

  /** {@code contact.tier = "Gold"}: the text must name a declared tier (or "" for none). */
  private void tierName(Expr field, Expr value) {
    if (value instanceof Expr.TextLit t && !t.value().isEmpty()
        && resolutions.resolutionOf(field).orElse(null) instanceof Resolution.ContactField f
        && f.field().name().equals("tier") && f.field().origin() != Vocabulary.Origin.ATTRIBUTE
        && !tiers.contains(t.value())) {
      report(Diagnostic.error(Codes.UNKNOWN_TIER, t.span(), "unknown tier \"" + t.value() + "\""),
          Suggestions.closest(t.value(), tiers).map(s -> "\"" + s + "\""));
    }
  }

  static boolean comparable(ValueType a, ValueType b) {
    return a == b || (temporal(a) && temporal(b));
  }

  private static boolean temporal(ValueType t) {
    return t == ValueType.DATE || t == ValueType.DATETIME;
  }

  static boolean ordered(ValueType t) {
    return t == ValueType.NUMBER || temporal(t) || t == ValueType.STAGE;
  }

  static boolean isOrdered(Expr.CompareOp op) {
    return switch (op.meaning()) {
      case LT, LE, GT, GE -> true;
      default -> false;
    };
  }

  // ---- names ----

  private Optional<Vocabulary.EventType> eventType(Name name) {
    Optional<Vocabulary.EventType> type = vocabulary.eventType(name.text());
    if (type.isEmpty()) {
      report(Diagnostic.error(Codes.UNKNOWN_EVENT_TYPE, name.span(),
              "unknown event type " + name.text()),
          Suggestions.closest(name.text(), vocabulary.eventTypes().stream()
              .map(Vocabulary.EventType::name).toList()));
    }
    return type;
  }

  /** A bare name: the counted event's attribute, a define or a stage, in that order. */
  private Resolution bareName(String name, SourceSpan span, Scope scope, ValueType hint) {
    Vocabulary.EventType counted = scope.counted();
    if (counted != null && counted != UNKNOWN_EVENT) {
      Optional<ValueType> a = counted.attribute(name);
      if (a.isPresent()) {
        return new Resolution.CountedEventAttribute(counted.name(), name, a.get());
      }
    }
    Optional<Vocabulary.Constant> constant = vocabulary.constant(name);
    if (constant.isPresent()) {
      return new Resolution.ConstantRef(constant.get());
    }
    Optional<Stage> stage = Stage.named(name);
    if (stage.isPresent()) {
      return new Resolution.StageRef(stage.get());
    }
    if (counted == UNKNOWN_EVENT) {
      return null; // most likely an attribute of the unknown counted type, already reported
    }
    boolean looksLikeStage = hint == ValueType.STAGE
        || STAGE_NAMES.stream().anyMatch(s -> s.equalsIgnoreCase(name));
    if (looksLikeStage) {
      report(Diagnostic.error(Codes.UNKNOWN_STAGE, span, "unknown stage " + name),
          Suggestions.closest(name, STAGE_NAMES));
      return null;
    }
    List<String> candidates = new ArrayList<>();
    if (counted != null) {
      candidates.addAll(counted.attributeNames());
    }
    vocabulary.constants().forEach(c -> candidates.add(c.name()));
    candidates.addAll(STAGE_NAMES);
    Optional<String> suggestion = Suggestions.closest(name, candidates);
    if (suggestion.isEmpty() && vocabulary.field(name).isPresent()) {
      suggestion = Optional.of("contact." + name);
    }
    if (counted != null) {
      report(Diagnostic.error(Codes.UNKNOWN_EVENT_ATTRIBUTE, span,
          counted.name() + " has no attribute " + name), suggestion);
    } else {
      report(Diagnostic.error(Codes.UNKNOWN_NAME, span, "unknown name " + name), suggestion);
    }
    return null;
  }

  /** {@code contact.X...} or {@code event.X}. */
  private Resolution path(List<String> parts, SourceSpan span, Scope scope) {
    String root = parts.get(0);
    String rest = String.join(".", parts.subList(1, parts.size()));
    if (root.equalsIgnoreCase("contact")) {
      Optional<Vocabulary.Field> field = vocabulary.field(rest);
      if (field.isPresent()) {
        return field.get().type() == null ? null : new Resolution.ContactField(field.get());
      }
      report(Diagnostic.error(Codes.UNKNOWN_FIELD, span, "unknown field contact." + rest),
          Suggestions.closest(rest, vocabulary.fields().stream().map(Vocabulary.Field::name).toList())
              .map(s -> "contact." + s));
      return null;
    }
    if (root.equalsIgnoreCase("event")) {
      return eventAttribute(rest, span, scope);
    }
    Optional<String> fixedRoot = Suggestions.closest(root, List.of("contact", "event"));
    report(Diagnostic.error(Codes.UNKNOWN_NAME, span, "unknown name " + String.join(".", parts)
            + ": a dotted name starts with contact. or event."),
        fixedRoot.map(r -> r + "." + rest));
    return null;
  }

  private Resolution eventAttribute(String attribute, SourceSpan span, Scope scope) {
    ValueType implicit = Vocabulary.IMPLICIT_EVENT_ATTRIBUTES.get(attribute);
    if (implicit != null) {
      return new Resolution.TriggeringEventAttribute(
          scope.guards() == null ? Set.of() : scope.guards(), attribute, implicit);
    }
    if (scope.guards() == null) {
      List<String> owners = vocabulary.eventTypes().stream()
          .filter(t -> t.attributes().containsKey(attribute))
          .map(Vocabulary.EventType::name).toList();
      if (owners.isEmpty()) {
        Set<String> all = new LinkedHashSet<>();
        vocabulary.eventTypes().forEach(t -> all.addAll(t.attributeNames()));
        report(Diagnostic.error(Codes.UNKNOWN_EVENT_ATTRIBUTE, span,
            "no event type has an attribute " + attribute), Suggestions.closest(attribute, all)
            .map(s -> "event." + s));
      } else {
        error(Codes.UNGUARDED_EVENT_ATTRIBUTE, span, "event." + attribute
            + " needs `event is TYPE` earlier in the same `and` chain (" + attribute
            + " is an attribute of " + String.join(", ", owners) + ")");
      }
      return null;
    }
    ValueType type = null;
    for (String name : scope.guards()) {
      Optional<Vocabulary.EventType> t = vocabulary.eventType(name);
      if (t.isEmpty()) {
        return null; // an unknown guard type, already reported
      }
      Optional<ValueType> a = t.get().attribute(attribute);
      if (a.isEmpty()) {
        report(Diagnostic.error(Codes.UNKNOWN_EVENT_ATTRIBUTE, span,
                name + " has no attribute " + attribute),
            Suggestions.closest(attribute, t.get().attributeNames()).map(s -> "event." + s));
        return null;
      }
      if (type != null && type != a.get()) {
        error(Codes.TYPE_MISMATCH, span, "event." + attribute + " is " + describe(type)
            + " in one guarded event type and " + describe(a.get()) + " in " + name);
        return null;
      }
      type = a.get();
    }
    return new Resolution.TriggeringEventAttribute(scope.guards(), attribute, type);
  }

  // ---- reporting ----

  /** How a type reads in a message: "a number", "text", "true or false"... */
  static String describe(ValueType type) {
    return switch (type) {
      case TEXT -> "text";
      case NUMBER -> "a number";
      case BOOLEAN -> "true or false";
      case DATE -> "a date";
      case DATETIME -> "a date and time";
      case STAGE -> "a stage";
    };
  }

  private void error(String code, SourceSpan span, String message) {
    diagnostics.add(Diagnostic.error(code, span, message));
  }

  private void report(Diagnostic d, Optional<String> suggestion) {
    diagnostics.add(suggestion.map(d::withSuggestion).orElse(d));
  }
}
