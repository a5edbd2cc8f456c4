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

  /** The canonical text of {@code file}, ending with one newline ("" for an empty file). */
  public static String format(RuleFile file) {
    List<Line> lines = new ArrayList<>();
    Item previous = null;
    for (Item item : file.items()) {
      if (previous != null && !sameGroup(previous, item)) {
        lines.add(Line.BLANK);
      }
      lines.addAll(lines(item));
      previous = item;
    }
    return Layout.render(lines, file.comments());
  }

  // Consecutive one-line items of one sort read as a table: no blank line between them.
  private static boolean sameGroup(Item a, Item b) {
    return group(a) != null && group(a).equals(group(b));
  }

  private static String group(Item item) {
    if (item instanceof Item.RulesetHeader
        || item instanceof Item.TimezoneHeader
        || item instanceof Item.DefaultOwnerHeader) {
      return "header";
    }
    if (item instanceof Item.AttributeDecl) {
      return "attribute";
    }
    if (item instanceof Item.Define) {
      return "define";
    }
    if (item instanceof Item.Tier) {
      return "tier";
    }
    if (item instanceof Item.Reward) {
      return "reward";
    }
    return null;
  }

  // ---- items ----

  private static List<Line> lines(Item item) {
    if (item instanceof Item.RulesetHeader h) {
      return List.of(Line.of(h.span(), "ruleset " + quoted(h.name())));
    }
    if (item instanceof Item.TimezoneHeader h) {
      return List.of(Line.of(h.span(), "timezone " + quoted(h.zone())));
    }
    if (item instanceof Item.DefaultOwnerHeader h) {
      return List.of(Line.of(h.span(), "default owner " + quoted(h.address())));
    }
    if (item instanceof Item.AttributeDecl a) {
      return List.of(
          Line.of(a.span(), "attribute contact." + a.name().text() + " : " + a.type().text()));
    }
    if (item instanceof Item.EventDecl e) {
      return List.of(Line.of(e.span(), eventDecl(e)));
    }
    if (item instanceof Item.Define d) {
      return List.of(Line.of(d.span(), "define " + d.name().text() + " = " + expr(d.value(), 0)));
    }
    if (item instanceof Item.Tier t) {
      return List.of(
          Line.of(t.span(), "tier " + quoted(t.name()) + " from " + number(t.threshold()) + " points"));
    }
    if (item instanceof Item.Reward r) {
      return List.of(
          Line.of(r.span(), "reward " + quoted(r.name()) + " costs " + number(r.cost()) + " points"));
    }
    if (item instanceof Item.Campaign c) {
      return campaign(c);
    }
    if (item instanceof Item.Table t) {
      return table(t);
    }
    return rule((Item.Rule) item);
  }

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
    String flat = indent + prefix + expr(expr, context);
    if (flat.length() <= WIDTH || !(expr instanceof Expr.Logical logical) || strength(expr) < context) {
      out.add(Line.of(expr.span(), flat));
      return;
    }
    List<Expr> operands = new ArrayList<>();
    flatten(logical, operands);
    String word = logical.op() == Expr.LogicalOp.AND ? "and " : "or ";
    String inner = prefix.isEmpty() ? indent : indent + INDENT;
    int strength = strength(expr);
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
    if (action instanceof Action.Tag t) {
      return "tag " + quoted(t.tag()) + t.by().map(b -> " by " + expr(b, 0)).orElse("");
    }
    if (action instanceof Action.Untag u) {
      return "untag " + quoted(u.tag());
    }
    if (action instanceof Action.AddToSegment a) {
      return "add to segment " + quoted(a.segment());
    }
    if (action instanceof Action.RemoveFromSegment r) {
      return "remove from segment " + quoted(r.segment());
    }
    if (action instanceof Action.AddScore a) {
      return "add " + expr(a.amount(), 0) + " to score";
    }
    if (action instanceof Action.SubtractScore s) {
      return "subtract " + expr(s.amount(), 0) + " from score";
    }
    if (action instanceof Action.SetScore s) {
      return "set score to " + expr(s.value(), 0);
    }
    if (action instanceof Action.SetStage s) {
      return "set stage to " + s.stage().text();
    }
    if (action instanceof Action.AdvanceStage a) {
      return "advance stage to " + a.stage().text();
    }
    if (action instanceof Action.Disqualify) {
      return "disqualify";
    }
    if (action instanceof Action.Enroll e) {
      return "enroll in " + quoted(e.campaign());
    }
    if (action instanceof Action.Stop s) {
      return "stop " + quoted(s.campaign());
    }
    if (action instanceof Action.Send s) {
      return "send " + Strings.quote(s.message().raw());
    }
    if (action instanceof Action.Award a) {
      return "award "
          + expr(a.points(), 0)
          + " points"
          + a.expiringIn().map(d -> " expiring in " + duration(d)).orElse("");
    }
    if (action instanceof Action.Deduct d) {
      return "deduct " + expr(d.points(), 0) + " points";
    }
    if (action instanceof Action.GrantReward g) {
      return "grant reward " + quoted(g.reward());
    }
    Action.Notify n = (Action.Notify) action;
    return "notify "
        + n.to().map(Formatter::quoted).orElse("owner")
        + n.via().map(c -> " via " + c.keyword()).orElse("")
        + " with "
        + Strings.quote(n.message().raw())
        + n.atMostOncePer().map(d -> " at most once per " + duration(d)).orElse("");
  }

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
    int strength = strength(expr);
    String text = bare(expr, strength);
    return strength < context ? "(" + text + ")" : text;
  }

  private static int strength(Expr expr) {
    if (expr instanceof Expr.Logical l) {
      return l.op() == Expr.LogicalOp.OR ? OR : AND;
    }
    if (expr instanceof Expr.Not) {
      return NOT;
    }
    if (expr instanceof Expr.Compare
        || expr instanceof Expr.Between
        || expr instanceof Expr.InList
        || expr instanceof Expr.Contains
        || expr instanceof Expr.Matches
        || expr instanceof Expr.IsEmpty
        || expr instanceof Expr.HasTag
        || expr instanceof Expr.InSegment) {
      return PREDICATE;
    }
    if (expr instanceof Expr.Arithmetic a) {
      return a.op() == Expr.ArithmeticOp.ADD || a.op() == Expr.ArithmeticOp.SUBTRACT
          ? ADDITIVE
          : MULTIPLICATIVE;
    }
    return ATOM;
  }

  private static String bare(Expr expr, int strength) {
    if (expr instanceof Expr.NumberLit n) {
      return number(n.value());
    }
    if (expr instanceof Expr.TextLit t) {
      return Strings.quote(t.value());
    }
    if (expr instanceof Expr.BoolLit b) {
      return Boolean.toString(b.value());
    }
    if (expr instanceof Expr.DateLit d) {
      return d.value().toString();
    }
    if (expr instanceof Expr.NameRef n) {
      return n.name();
    }
    if (expr instanceof Expr.Path p) {
      return p.dotted();
    }
    if (expr instanceof Expr.TagCount t) {
      return "tag " + quoted(t.tag());
    }
    if (expr instanceof Expr.HasTag h) {
      return "has tag " + quoted(h.tag());
    }
    if (expr instanceof Expr.InSegment i) {
      return "in segment " + quoted(i.segment());
    }
    if (expr instanceof Expr.EventIs e) {
      return "event is " + e.type().text();
    }
    if (expr instanceof Expr.Count c) {
      return "count(" + c.type().text() + history(c.where(), c.within()) + ")";
    }
    if (expr instanceof Expr.Sum s) {
      return "sum(" + s.type().text() + "." + s.attribute().text()
          + history(s.where(), s.within()) + ")";
    }
    if (expr instanceof Expr.DaysSinceLast d) {
      return "days since last " + d.type().text();
    }
    if (expr instanceof Expr.DecisionRef d) {
      return "decision " + quoted(d.decision()) + " of " + quoted(d.table());
    }
    if (expr instanceof Expr.Arithmetic a) {
      return expr(a.left(), strength) + " " + a.op().symbol() + " " + expr(a.right(), strength + 1);
    }
    if (expr instanceof Expr.Compare c) {
      return expr(c.left(), ADDITIVE) + " " + c.op().symbol() + " " + expr(c.right(), ADDITIVE);
    }
    if (expr instanceof Expr.Between b) {
      return expr(b.value(), ADDITIVE) + " between " + expr(b.low(), ADDITIVE)
          + " and " + expr(b.high(), ADDITIVE);
    }
    if (expr instanceof Expr.InList i) {
      return expr(i.value(), ADDITIVE)
          + (i.negated() ? " not in [" : " in [")
          + i.items().stream().map(x -> expr(x, ADDITIVE)).collect(Collectors.joining(", "))
          + "]";
    }
    if (expr instanceof Expr.Contains c) {
      return expr(c.value(), ADDITIVE) + " contains " + expr(c.needle(), ADDITIVE);
    }
    if (expr instanceof Expr.Matches m) {
      return expr(m.value(), ADDITIVE) + " matches " + Strings.quote(m.glob().value());
    }
    if (expr instanceof Expr.IsEmpty i) {
      return expr(i.value(), ADDITIVE) + (i.negated() ? " is not empty" : " is empty");
    }
    if (expr instanceof Expr.Not n) {
      return "not " + expr(n.operand(), NOT);
    }
    Expr.Logical l = (Expr.Logical) expr;
    List<Expr> operands = new ArrayList<>();
    flatten(l, operands);
    StringBuilder text = new StringBuilder(expr(operands.get(0), strength));
    String word = l.op() == Expr.LogicalOp.AND ? " and " : " or ";
    for (Expr operand : operands.subList(1, operands.size())) {
      text.append(word).append(expr(operand, strength + 1));
    }
    return text.toString();
  }

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
