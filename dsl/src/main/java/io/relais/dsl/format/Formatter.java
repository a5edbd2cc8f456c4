package io.relais.dsl.format;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.DurationLiteral;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Prints a rule file in the canonical layout: headers and one-line declarations grouped, a
 * blank line between other items, rules as {@code KIND "name" / options / when / then / end}
 * with two-space indentation, keywords in lower case, minimal parentheses, strings
 * re-escaped. Every comment is kept: one on the line of a printed line's last source line
 * stays at its end; any other goes on its own line before the next printed line.
 */
public final class Formatter {

  private static final String INDENT = "  ";
  /** Conditions longer than this are broken before their top-level {@code and}/{@code or}. */
  static final int WIDTH = 100;

  private Formatter() {}

  /** {@code text} as the language writes a string: in double quotes, escaped. */
  public static String quote(String text) {
    return Strings.quote(text);
  }

  /** The canonical text of {@code file}, ending with one newline ("" for an empty file). */
  public static String format(RuleFile file) {
    List<Line> lines = new ArrayList<>();
    Block previous = null;
    for (Item item : file.items()) {
      Block block = item.accept(ITEMS);
      if (previous != null && !block.sameGroup(previous)) {
        lines.add(Line.BLANK);
      }
      lines.addAll(block.lines());
      previous = block;
    }
    return Layout.render(lines, file.comments());
  }

  // ---- items ----

  /**
   * An item's printed lines, and the group of one-line items of one sort it belongs to, if
   * any: consecutive items of a group read as a table, with no blank line between them.
   */
  private record Block(Optional<String> group, List<Line> lines) {

    static Block grouped(String group, Line line) {
      return new Block(Optional.of(group), List.of(line));
    }

    static Block alone(List<Line> lines) {
      return new Block(Optional.empty(), lines);
    }

    boolean sameGroup(Block other) {
      return group.isPresent() && group.equals(other.group);
    }
  }

  private static final Item.Visitor<Block> ITEMS = new Item.Visitor<>() {
    @Override
    public Block rulesetHeader(Item.RulesetHeader h) {
      return Block.grouped("header", Line.of(h.span(), "ruleset " + quoted(h.name())));
    }

    @Override
    public Block timezoneHeader(Item.TimezoneHeader h) {
      return Block.grouped("header", Line.of(h.span(), "timezone " + quoted(h.zone())));
    }

    @Override
    public Block defaultOwnerHeader(Item.DefaultOwnerHeader h) {
      return Block.grouped("header", Line.of(h.span(), "default owner " + quoted(h.address())));
    }

    @Override
    public Block quietHours(Item.QuietHours q) {
      return Block.grouped("sending", Line.of(q.span(),
          "quiet hours " + q.from().text() + " to " + q.until().text()));
    }

    @Override
    public Block frequencyCap(Item.FrequencyCap c) {
      return Block.grouped("sending", Line.of(c.span(), "at most " + number(c.limit())
          + (c.limit().compareTo(BigDecimal.ONE) == 0 ? " message" : " messages")
          + " per " + duration(c.per()) + c.via().map(v -> " via " + v.keyword()).orElse("")));
    }

    @Override
    public Block attributeDecl(Item.AttributeDecl a) {
      return Block.grouped("attribute",
          Line.of(a.span(), "attribute contact." + a.name().text() + " : " + a.type().text()));
    }

    @Override
    public Block eventDecl(Item.EventDecl e) {
      return Block.alone(List.of(Line.of(e.span(), Formatter.eventDecl(e))));
    }

    @Override
    public Block define(Item.Define d) {
      return Block.grouped("define",
          Line.of(d.span(), "define " + d.name().text() + " = " + expr(d.value(), 0)));
    }

    @Override
    public Block campaign(Item.Campaign c) {
      return Block.alone(Formatter.campaign(c));
    }

    @Override
    public Block tier(Item.Tier t) {
      return Block.grouped("tier",
          Line.of(t.span(), "tier " + quoted(t.name()) + " from " + number(t.threshold()) + " points"
              + t.earnedWithin().map(d -> " earned within " + duration(d)).orElse("")));
    }

    @Override
    public Block reward(Item.Reward r) {
      return Block.grouped("reward",
          Line.of(r.span(), "reward " + quoted(r.name()) + " costs " + number(r.cost()) + " points"));
    }

    @Override
    public Block rule(Item.Rule r) {
      return Block.alone(Formatter.rule(r));
    }

    @Override
    public Block table(Item.Table t) {
      return Block.alone(Formatter.table(t));
    }
  };

  // docs/language.md ("Decision tables"): laid out like a campaign, one input per line.
  private static List<Line> table(Item.Table table) {
    List<Line> lines = new ArrayList<>();
    lines.add(Line.of(table.name().span(), "table " + quoted(table.name()) + " from "
        + quoted(table.file())).from(table.span().line()));
    for (Item.InputBinding input : table.inputs()) {
      lines.add(Line.of(input.span(),
          INDENT + "input " + quoted(input.input()) + " = " + expr(input.value(), 0)));
    }
    lines.add(Line.at(table.span().endLine(), "end"));
    return lines;
  }

  private static String eventDecl(Item.EventDecl event) {
    if (event.fields().isEmpty()) {
      return "event " + event.name().text() + " { }";
    }
    String fields =
        event.fields().stream()
            .map(f -> f.name().text() + ": " + f.type().text())
            .collect(Collectors.joining(", "));
    return "event " + event.name().text() + " { " + fields + " }";
  }

  private static List<Line> campaign(Item.Campaign campaign) {
    List<Line> lines = new ArrayList<>();
    lines.add(Line.of(campaign.name().span(), "campaign " + quoted(campaign.name()))
        .from(campaign.span().line()));
    for (Item.Step step : campaign.steps()) {
      lines.add(
          Line.of(
              step.span(),
              INDENT + "step " + quoted(step.message()) + " after " + duration(step.after())));
    }
    campaign
        .exitWhen()
        .ifPresent(exit -> lines.add(Line.of(exit.span(), INDENT + "exit when " + expr(exit, 0))));
    lines.add(Line.at(campaign.span().endLine(), "end"));
    return lines;
  }

  private static List<Line> rule(Item.Rule rule) {
    List<Line> lines = new ArrayList<>();
    lines.add(
        Line.of(rule.name().span(), rule.kind().keyword() + " " + quoted(rule.name()))
            .from(rule.span().line()));
    rule.priority().ifPresent(p -> lines.add(Line.synthetic(INDENT + "priority " + p)));
    if (rule.activeFrom().isPresent()) {
      String until = rule.activeUntil().map(d -> " until " + d).orElse("");
      lines.add(Line.synthetic(INDENT + "active from " + rule.activeFrom().get() + until));
    } else {
      rule.activeUntil().ifPresent(d -> lines.add(Line.synthetic(INDENT + "until " + d)));
    }
    rule.when()
        .ifPresent(
            when -> {
              lines.add(Line.synthetic("when"));
              condition(when, 0, INDENT, "", lines);
            });
    lines.add(Line.synthetic("then"));
    for (Action action : rule.actions()) {
      lines.add(Line.of(action.span(), INDENT + action(action)));
    }
    lines.add(Line.at(rule.span().endLine(), "end"));
    return lines;
  }

  /**
   * A condition on one line if it fits in {@link #WIDTH} columns; else its top-level
   * {@code and}/{@code or} chain one operand a line, the operator first, and so on inside.
   */
  private static void condition(Expr expr, int context, String indent, String prefix, List<Line> out) {
    Printed printed = expr.accept(EXPRESSIONS);
    String flat = indent + prefix + printed.in(context);
    int strength = printed.strength();
    if (flat.length() <= WIDTH || !(expr instanceof Expr.Logical logical) || strength < context) {
      out.add(Line.of(expr.span(), flat));
      return;
    }
    List<Expr> operands = new ArrayList<>();
    flatten(logical, operands);
    String word = logical.op() == Expr.LogicalOp.AND ? "and " : "or ";
    String inner = prefix.isEmpty() ? indent : indent + INDENT;
    condition(operands.get(0), strength, indent, prefix, out);
    for (Expr operand : operands.subList(1, operands.size())) {
      condition(operand, strength + 1, inner, word, out);
    }
  }

  // Chains nest to the left, so (a and b) and c lists a, b, c; a right operand of the same
  // operator came from parentheses and stays one operand.
  private static void flatten(Expr.Logical logical, List<Expr> operands) {
    // A loop, not recursion: a chain of thousands of terms must not exhaust the stack.
    List<Expr> rights = new ArrayList<>();
    Expr e = logical;
    while (e instanceof Expr.Logical l && l.op() == logical.op()) {
      rights.add(l.right());
      e = l.left();
    }
    operands.add(e);
    for (int i = rights.size() - 1; i >= 0; i--) {
      operands.add(rights.get(i));
    }
  }


  // ---- actions ----

  /** One action as canonical text, {@code because} included. */
  public static String action(Action action) {
    return body(action) + action.because().map(b -> " because " + quoted(b)).orElse("");
  }

  private static String body(Action action) {
    return action.accept(ACTIONS);
  }

  private static final Action.Visitor<String> ACTIONS = new Action.Visitor<>() {
    @Override
    public String tag(Action.Tag t) {
      return "tag " + quoted(t.tag()) + t.by().map(b -> " by " + expr(b, 0)).orElse("");
    }

    @Override
    public String untag(Action.Untag u) {
      return "untag " + quoted(u.tag());
    }

    @Override
    public String addToSegment(Action.AddToSegment a) {
      return "add to segment " + quoted(a.segment());
    }

    @Override
    public String removeFromSegment(Action.RemoveFromSegment r) {
      return "remove from segment " + quoted(r.segment());
    }

    @Override
    public String addScore(Action.AddScore a) {
      return "add " + expr(a.amount(), 0) + " to score";
    }

    @Override
    public String subtractScore(Action.SubtractScore s) {
      return "subtract " + expr(s.amount(), 0) + " from score";
    }

    @Override
    public String setScore(Action.SetScore s) {
      return "set score to " + expr(s.value(), 0);
    }

    @Override
    public String setStage(Action.SetStage s) {
      return "set stage to " + s.stage().text();
    }

    @Override
    public String advanceStage(Action.AdvanceStage a) {
      return "advance stage to " + a.stage().text();
    }

    @Override
    public String disqualify(Action.Disqualify d) {
      return "disqualify";
    }

    @Override
    public String enroll(Action.Enroll e) {
      return "enroll in " + quoted(e.campaign());
    }

    @Override
    public String stop(Action.Stop s) {
      return "stop " + quoted(s.campaign());
    }

    @Override
    public String send(Action.Send s) {
      return "send " + Strings.quote(s.message().raw())
          + s.via().map(c -> " via " + c.keyword()).orElse("");
    }

    @Override
    public String award(Action.Award a) {
      return "award "
          + expr(a.points(), 0)
          + " points"
          + a.expiringIn().map(d -> " expiring in " + duration(d)).orElse("");
    }

    @Override
    public String deduct(Action.Deduct d) {
      return "deduct " + expr(d.points(), 0) + " points";
    }

    @Override
    public String grantReward(Action.GrantReward g) {
      return "grant reward " + quoted(g.reward());
    }

    @Override
    public String notify(Action.Notify n) {
      return "notify "
          + n.to().map(Formatter::quoted).orElse("owner")
          + n.via().map(c -> " via " + c.keyword()).orElse("")
          + " with "
          + Strings.quote(n.message().raw())
          + n.atMostOncePer().map(d -> " at most once per " + duration(d)).orElse("");
    }
  };

  // ---- expressions ----

  // Binding strength, loosest first; an operand that binds looser than its place needs
  // parentheses. Left-nested chains need none; a right operand of the same strength does.
  private static final int OR = 1;
  private static final int AND = 2;
  private static final int NOT = 3;
  private static final int PREDICATE = 4;
  private static final int ADDITIVE = 5;
  private static final int MULTIPLICATIVE = 6;
  private static final int ATOM = 7;

  /** An expression as canonical text. */
  public static String expr(Expr expr) {
    return expr(expr, 0);
  }

  private static String expr(Expr expr, int context) {
    return expr.accept(EXPRESSIONS).in(context);
  }

  /** An expression as canonical text without parentheses, and how strongly it binds. */
  private record Printed(int strength, String text) {

    /** The text in a place of binding strength {@code context}, in parentheses if it binds looser. */
    String in(int context) {
      return strength < context ? "(" + text + ")" : text;
    }
  }

  private static Printed atom(String text) {
    return new Printed(ATOM, text);
  }

  private static Printed predicate(String text) {
    return new Printed(PREDICATE, text);
  }

  private static final Expr.Visitor<Printed> EXPRESSIONS = new Expr.Visitor<>() {
    @Override
    public Printed numberLit(Expr.NumberLit n) {
      return atom(number(n.value()));
    }

    @Override
    public Printed textLit(Expr.TextLit t) {
      return atom(Strings.quote(t.value()));
    }

    @Override
    public Printed boolLit(Expr.BoolLit b) {
      return atom(Boolean.toString(b.value()));
    }

    @Override
    public Printed dateLit(Expr.DateLit d) {
      return atom(d.value().toString());
    }

    @Override
    public Printed nameRef(Expr.NameRef n) {
      return atom(n.name());
    }

    @Override
    public Printed path(Expr.Path p) {
      return atom(p.dotted());
    }

    @Override
    public Printed tagCount(Expr.TagCount t) {
      return atom("tag " + quoted(t.tag()));
    }

    @Override
    public Printed eventIs(Expr.EventIs e) {
      return atom("event is " + e.type().text());
    }

    @Override
    public Printed count(Expr.Count c) {
      return atom("count(" + c.type().text() + history(c.where(), c.within()) + ")");
    }

    @Override
    public Printed sum(Expr.Sum s) {
      return atom("sum(" + s.type().text() + "." + s.attribute().text()
          + history(s.where(), s.within()) + ")");
    }

    @Override
    public Printed daysSinceLast(Expr.DaysSinceLast d) {
      return atom("days since last " + d.type().text());
    }

    @Override
    public Printed decisionRef(Expr.DecisionRef d) {
      return atom("decision " + quoted(d.decision()) + " of " + quoted(d.table()));
    }

    @Override
    public Printed arithmetic(Expr.Arithmetic a) {
      int strength = a.op() == Expr.ArithmeticOp.ADD || a.op() == Expr.ArithmeticOp.SUBTRACT
          ? ADDITIVE
          : MULTIPLICATIVE;
      return new Printed(strength,
          expr(a.left(), strength) + " " + a.op().symbol() + " " + expr(a.right(), strength + 1));
    }

    @Override
    public Printed hasTag(Expr.HasTag h) {
      return predicate("has tag " + quoted(h.tag()));
    }

    @Override
    public Printed inSegment(Expr.InSegment i) {
      return predicate("in segment " + quoted(i.segment()));
    }

    @Override
    public Printed compare(Expr.Compare c) {
      return predicate(
          expr(c.left(), ADDITIVE) + " " + c.op().symbol() + " " + expr(c.right(), ADDITIVE));
    }

    @Override
    public Printed between(Expr.Between b) {
      return predicate(expr(b.value(), ADDITIVE) + " between " + expr(b.low(), ADDITIVE)
          + " and " + expr(b.high(), ADDITIVE));
    }

    @Override
    public Printed inList(Expr.InList i) {
      return predicate(expr(i.value(), ADDITIVE)
          + (i.negated() ? " not in [" : " in [")
          + i.items().stream().map(x -> expr(x, ADDITIVE)).collect(Collectors.joining(", "))
          + "]");
    }

    @Override
    public Printed contains(Expr.Contains c) {
      return predicate(expr(c.value(), ADDITIVE) + " contains " + expr(c.needle(), ADDITIVE));
    }

    @Override
    public Printed matches(Expr.Matches m) {
      return predicate(expr(m.value(), ADDITIVE) + " matches " + Strings.quote(m.glob().value()));
    }

    @Override
    public Printed isEmpty(Expr.IsEmpty i) {
      return predicate(expr(i.value(), ADDITIVE) + (i.negated() ? " is not empty" : " is empty"));
    }

    @Override
    public Printed not(Expr.Not n) {
      return new Printed(NOT, "not " + expr(n.operand(), NOT));
    }

    @Override
    public Printed logical(Expr.Logical l) {
      int strength = l.op() == Expr.LogicalOp.OR ? OR : AND;
      List<Expr> operands = new ArrayList<>();
      flatten(l, operands);
      StringBuilder text = new StringBuilder(expr(operands.get(0), strength));
      String word = l.op() == Expr.LogicalOp.AND ? " and " : " or ";
      for (Expr operand : operands.subList(1, operands.size())) {
        text.append(word).append(expr(operand, strength + 1));
      }
      return new Printed(strength, text.toString());
    }
  };

  private static String history(Optional<Expr> where, Optional<DurationLiteral> within) {
    return where.map(w -> " where " + expr(w, 0)).orElse("")
        + within.map(d -> " within " + duration(d)).orElse("");
  }

  // ---- tokens ----

  private static String quoted(Name name) {
    return Strings.quote(name.text());
  }

  private static String number(BigDecimal value) {
    return value.toPlainString();
  }

  /** {@code 1 day}, {@code 3 days}: singular for one, as people write it. */
  static String duration(DurationLiteral duration) {
    String unit = duration.unit().keyword();
    return duration.amount() + " " + (duration.amount() == 1 ? unit.substring(0, unit.length() - 1) : unit);
  }

  /**
   * One printed line and the source lines it stands for ({@code first..last}; 0 for lines the
   * formatter adds, such as {@code then}).
   */
  record Line(int first, int last, String text) {
    static final Line BLANK = new Line(0, 0, "");

    static Line of(SourceSpan span, String text) {
      return new Line(span.line(), span.endLine(), text);
    }

    static Line at(int line, String text) {
      return new Line(line, line, text);
    }

    static Line synthetic(String text) {
      return new Line(0, 0, text);
    }

    Line from(int line) {
      return new Line(line, last, text);
    }

    boolean isSynthetic() {
      return first == 0;
    }
  }

  /** Merges printed lines with the file's comments, in source order. */
  static final class Layout {
    private Layout() {}

    static String render(List<Line> lines, List<RuleFile.Comment> comments) {
      Deque<RuleFile.Comment> pending = new ArrayDeque<>(comments);
      StringBuilder out = new StringBuilder();
      for (Line line : lines) {
        if (line.text().isEmpty()) {
          out.append('\n');
          continue;
        }
        String indent = line.text().substring(0, line.text().length() - line.text().stripLeading().length());
        String trailing = "";
        if (!line.isSynthetic()) {
          while (!pending.isEmpty() && pending.peek().span().line() < line.last()) {
            out.append(indent).append('#').append(pending.pop().text()).append('\n');
          }
          if (!pending.isEmpty() && pending.peek().span().line() == line.last()) {
            trailing = "  #" + pending.pop().text();
          }
        }
        out.append(line.text()).append(trailing).append('\n');
      }
      while (!pending.isEmpty()) {
        out.append('#').append(pending.pop().text()).append('\n');
      }
      return out.toString();
    }
  }
}
