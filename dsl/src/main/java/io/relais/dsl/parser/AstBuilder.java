package io.relais.dsl.parser;

import io.relais.dsl.Names;
import io.relais.dsl.diagnostic.Suggestions;
import static io.relais.dsl.parser.RelaisParser.*;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.DurationLiteral;
import io.relais.dsl.ast.Expr;
import io.relais.dsl.ast.Item;
import io.relais.dsl.ast.Name;
import io.relais.dsl.ast.RuleKind;
import io.relais.dsl.ast.Template;
import io.relais.dsl.diagnostic.Diagnostic;
import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Parse tree to syntax tree, one visit method per labelled alternative. Values the grammar
 * cannot rule out (a fractional duration, an unknown channel, a malformed placeholder) are
 * reported here.
 */
final class AstBuilder extends RelaisBaseVisitor<Object> {

  private final Spans spans;
  private final List<Diagnostic> diagnostics;

  AstBuilder(Spans spans, List<Diagnostic> diagnostics) {
    this.spans = spans;
    this.diagnostics = diagnostics;
  }

  Item item(ItemContext ctx) {
    return (Item) visit(ctx);
  }

  // ---- items ----

  @Override
  public Item visitRulesetHeader(RulesetHeaderContext ctx) {
    return new Item.RulesetHeader(name(ctx.name), span(ctx));
  }

  @Override
  public Item visitTimezoneHeader(TimezoneHeaderContext ctx) {
    return new Item.TimezoneHeader(name(ctx.zone), span(ctx));
  }

  @Override
  public Item visitDefaultOwnerHeader(DefaultOwnerHeaderContext ctx) {
    return new Item.DefaultOwnerHeader(name(ctx.address), span(ctx));
  }

  @Override
  public Item visitQuietHoursDecl(QuietHoursDeclContext ctx) {
    return new Item.QuietHours(new Name(ctx.from.getText(), spans.of(ctx.from)),
        new Name(ctx.until.getText(), spans.of(ctx.until)), span(ctx));
  }

  @Override
  public Item visitCapDecl(CapDeclContext ctx) {
    return new Item.FrequencyCap(number(ctx.limit), duration(ctx.duration()),
        Optional.ofNullable(ctx.channel).map(this::channel), span(ctx));
  }

  @Override
  public Item visitAttributeDecl(AttributeDeclContext ctx) {
    return new Item.AttributeDecl(name(ctx.name), name(ctx.type), span(ctx));
  }

  @Override
  public Item visitEventDecl(EventDeclContext ctx) {
    List<Item.FieldDecl> fields = new ArrayList<>();
    for (FieldDeclContext field : ctx.fieldDecl()) {
      fields.add(new Item.FieldDecl(name(field.name), name(field.type), span(field)));
    }
    return new Item.EventDecl(name(ctx.name), fields, span(ctx));
  }

  @Override
  public Item visitDefineDecl(DefineDeclContext ctx) {
    return new Item.Define(name(ctx.name), (Expr) visit(ctx.literal()), span(ctx));
  }

  @Override
  public Item visitCampaignDecl(CampaignDeclContext ctx) {
    List<Item.Step> steps = new ArrayList<>();
    for (StepContext step : ctx.step()) {
      steps.add(new Item.Step(name(step.message), duration(step.duration()), span(step)));
    }
    Optional<Expr> exit = Optional.ofNullable(ctx.exitClause()).map(e -> expr(e.expression()));
    return new Item.Campaign(name(ctx.name), steps, exit, span(ctx));
  }

  @Override
  public Item visitTierDecl(TierDeclContext ctx) {
    return new Item.Tier(name(ctx.name), number(ctx.threshold),
        Optional.ofNullable(ctx.within).map(this::duration), span(ctx));
  }

  @Override
  public Item visitRewardDecl(RewardDeclContext ctx) {
    return new Item.Reward(name(ctx.name), number(ctx.cost), span(ctx));
  }

  @Override
  public Item visitRuleDecl(RuleDeclContext ctx) {
    RuleKind kind = RuleKind.valueOf(ctx.ruleKind().getText().toUpperCase(Locale.ROOT));
    Optional<Integer> priority = Optional.empty();
    if (ctx.priority != null) {
      BigDecimal value = number(ctx.priority);
      try {
        priority = Optional.of(value.intValueExact());
      } catch (ArithmeticException e) {
        diagnostics.add(Diagnostic.error("bad-number", span(ctx.priority),
            "priority must be a whole number, not " + value.toPlainString()));
      }
    }
    List<Action> actions = new ArrayList<>();
    for (ActionContext action : ctx.action()) {
      actions.add(action(action));
    }
    return new Item.Rule(
        kind,
        name(ctx.name),
        priority,
        Optional.ofNullable(ctx.from).map(this::date),
        Optional.ofNullable(ctx.until).map(this::date),
        Optional.ofNullable(ctx.whenClause()).map(w -> expr(w.expression())),
        actions,
        span(ctx));
  }

  // docs/language.md ("Decision tables"): the checker resolves the file, the model and the inputs.
  @Override
  public Item visitTableDecl(TableDeclContext ctx) {
    List<Item.InputBinding> inputs = new ArrayList<>();
    for (InputBindingContext input : ctx.inputBinding()) {
      inputs.add(new Item.InputBinding(name(input.input), expr(input.expression()), span(input)));
    }
    return new Item.Table(name(ctx.name), name(ctx.dmnFile), inputs, span(ctx));
  }

  // ---- actions ----

  private Action action(ActionContext ctx) {
    // A reason is free text (it may say "line\nbreak"), not a name.
    Optional<Name> because = Optional.ofNullable(ctx.reason).map(r -> new Name(text(r.getStart()), span(r)));
    SourceSpan span = span(ctx);
    ActionBodyContext body = ctx.actionBody();
    if (body instanceof TagActionContext a) {
      return new Action.Tag(name(a.tag), Optional.ofNullable(a.by).map(this::expr), because, span);
    } else if (body instanceof UntagActionContext a) {
      return new Action.Untag(name(a.tag), because, span);
    } else if (body instanceof AddActionContext a) {
      return a.segment != null
          ? new Action.AddToSegment(name(a.segment), because, span)
          : new Action.AddScore(expr(a.amount), because, span);
    } else if (body instanceof RemoveActionContext a) {
      return new Action.RemoveFromSegment(name(a.segment), because, span);
    } else if (body instanceof SubtractActionContext a) {
      return new Action.SubtractScore(expr(a.amount), because, span);
    } else if (body instanceof SetActionContext a) {
      return a.stage != null
          ? new Action.SetStage(name(a.stage), because, span)
          : new Action.SetScore(expr(a.score), because, span);
    } else if (body instanceof AdvanceActionContext a) {
      return new Action.AdvanceStage(name(a.stage), because, span);
    } else if (body instanceof DisqualifyActionContext) {
      return new Action.Disqualify(because, span);
    } else if (body instanceof EnrollActionContext a) {
      return new Action.Enroll(name(a.campaign), because, span);
    } else if (body instanceof StopActionContext a) {
      return new Action.Stop(name(a.campaign), because, span);
    } else if (body instanceof SendActionContext a) {
      return new Action.Send(template(a.message),
          Optional.ofNullable(a.channel).map(this::channel), because, span);
    } else if (body instanceof AwardActionContext a) {
      return new Action.Award(expr(a.amount),
          Optional.ofNullable(a.duration()).map(this::duration), because, span);
    } else if (body instanceof DeductActionContext a) {
      return new Action.Deduct(expr(a.amount), because, span);
    } else if (body instanceof GrantActionContext a) {
      return new Action.GrantReward(name(a.reward), because, span);
    } else if (body instanceof NotifyActionContext a) {
      return new Action.Notify(
          Optional.ofNullable(a.to).map(this::name),
          Optional.ofNullable(a.channel).map(this::channel),
          template(a.message),
          Optional.ofNullable(a.duration()).map(this::duration),
          because,
          span);
    }
    throw new IllegalStateException("no action for " + body.getClass().getSimpleName());
  }

  private Action.Channel channel(IdentifierContext ctx) {
    String word = ctx.getText().toLowerCase(Locale.ROOT);
    for (Action.Channel channel : Action.Channel.values()) {
      if (channel.keyword().equals(word)) {
        return channel;
      }
    }
    Diagnostic unknown = Diagnostic.error("unknown-channel", span(ctx),
        "unknown channel `" + ctx.getText() + "`: use email, slack, sms or webhook");
    String best = null;
    for (Action.Channel channel : Action.Channel.values()) {
      if (Suggestions.distance(word, channel.keyword()) <= Suggestions.tolerance(word)) {
        best = channel.keyword();
        break;
      }
    }
    diagnostics.add(best == null ? unknown : unknown.withSuggestion(best));
    return Action.Channel.EMAIL;
  }

  private Template template(StringContext ctx) {
    return Templates.parse(ctx.getStart(), spans, diagnostics);
  }

  // ---- expressions ----

  private Expr expr(ParserRuleContext ctx) {
    return (Expr) visit(ctx);
  }

  @Override
  public Expr visitExpression(ExpressionContext ctx) {
    return expr(ctx.booleanExpression());
  }

  @Override
  public Expr visitLogicalNot(LogicalNotContext ctx) {
    return new Expr.Not(expr(ctx.booleanExpression()), span(ctx));
  }

  @Override
  public Expr visitAnd(AndContext ctx) {
    return logical(ctx);
  }

  @Override
  public Expr visitOr(OrContext ctx) {
    return logical(ctx);
  }

  /**
   * {@code a and b and c} is a left-deep parse tree; walking its spine in a loop keeps a
   * chain of thousands of terms from exhausting the stack.
   */
  private Expr logical(BooleanExpressionContext top) {
    Deque<BooleanExpressionContext> spine = new ArrayDeque<>();
    BooleanExpressionContext c = top;
    while (c instanceof AndContext || c instanceof OrContext) {
      spine.push(c);
      c = c instanceof AndContext a ? a.left : ((OrContext) c).left;
    }
    Expr result = expr(c);
    while (!spine.isEmpty()) {
      BooleanExpressionContext node = spine.pop();
      Expr.LogicalOp op = node instanceof AndContext ? Expr.LogicalOp.AND : Expr.LogicalOp.OR;
      BooleanExpressionContext right =
          node instanceof AndContext a ? a.right : ((OrContext) node).right;
      result = new Expr.Logical(op, result, expr(right), span(node));
    }
    return result;
  }

  @Override
  public Expr visitHasTag(HasTagContext ctx) {
    return new Expr.HasTag(name(ctx.tag), span(ctx));
  }

  @Override
  public Expr visitInSegment(InSegmentContext ctx) {
    return new Expr.InSegment(name(ctx.segment), span(ctx));
  }

  @Override
  public Expr visitPredicated(PredicatedContext ctx) {
    Expr value = expr(ctx.valueExpression());
    PredicateContext predicate = ctx.predicate();
    if (predicate == null) {
      return value;
    }
    SourceSpan span = span(ctx);
    if (predicate instanceof ComparisonContext p) {
      return new Expr.Compare(
          compareOp(p.comparisonOperator().getStart()), value, expr(p.right), span);
    } else if (predicate instanceof IsPredicateContext p) {
      return p.EMPTY() != null
          ? new Expr.IsEmpty(value, p.NOT() != null, span)
          : new Expr.Compare(p.NOT() != null ? Expr.CompareOp.IS_NOT : Expr.CompareOp.IS,
              value, expr(p.right), span);
    } else if (predicate instanceof BetweenContext p) {
      return new Expr.Between(value, expr(p.low), expr(p.high), span);
    } else if (predicate instanceof InListContext p) {
      return new Expr.InList(value,
          p.valueExpression().stream().map(this::expr).toList(), p.NOT() != null, span);
    } else if (predicate instanceof ContainsContext p) {
      return new Expr.Contains(value, expr(p.right), span);
    } else if (predicate instanceof MatchesContext p) {
      return new Expr.Matches(value, textLit(p.glob), span);
    }
    throw new IllegalStateException("no predicate for " + predicate.getClass().getSimpleName());
  }

  private static Expr.CompareOp compareOp(Token token) {
    return switch (token.getType()) {
      case EQ -> Expr.CompareOp.EQ;
      case NEQ -> Expr.CompareOp.NE;
      case LT -> Expr.CompareOp.LT;
      case LTE -> Expr.CompareOp.LE;
      case GT -> Expr.CompareOp.GT;
      case GTE -> Expr.CompareOp.GE;
      default -> throw new IllegalStateException("no comparison " + token.getText());
    };
  }

  @Override
  public Expr visitValueDefault(ValueDefaultContext ctx) {
    return expr(ctx.primary());
  }

  @Override
  public Expr visitArithmetic(ArithmeticContext ctx) {
    Expr.ArithmeticOp op = switch (ctx.op.getType()) {
      case PLUS -> Expr.ArithmeticOp.ADD;
      case MINUS -> Expr.ArithmeticOp.SUBTRACT;
      case ASTERISK -> Expr.ArithmeticOp.MULTIPLY;
      default -> Expr.ArithmeticOp.DIVIDE;
    };
    return new Expr.Arithmetic(op, expr(ctx.left), expr(ctx.right), span(ctx));
  }

  @Override
  public Expr visitNumberLiteral(NumberLiteralContext ctx) {
    return new Expr.NumberLit(number(ctx.number()), span(ctx));
  }

  @Override
  public Expr visitStringLiteral(StringLiteralContext ctx) {
    return textLit(ctx.string());
  }

  @Override
  public Expr visitDateLiteral(DateLiteralContext ctx) {
    return new Expr.DateLit(date(ctx.date()), span(ctx));
  }

  @Override
  public Expr visitBooleanLiteral(BooleanLiteralContext ctx) {
    return new Expr.BoolLit(ctx.value.getType() == TRUE, span(ctx));
  }

  @Override
  public Expr visitTagCount(TagCountContext ctx) {
    return new Expr.TagCount(name(ctx.tag), span(ctx));
  }

  @Override
  public Expr visitCount(CountContext ctx) {
    HistoryContext h = ctx.history();
    return new Expr.Count(name(ctx.type),
        Optional.ofNullable(h.where).map(this::expr),
        Optional.ofNullable(h.within).map(this::duration),
        span(ctx));
  }

  @Override
  public Expr visitSum(SumContext ctx) {
    HistoryContext h = ctx.history();
    return new Expr.Sum(name(ctx.type), name(ctx.attribute),
        Optional.ofNullable(h.where).map(this::expr),
        Optional.ofNullable(h.within).map(this::duration),
        span(ctx));
  }

  @Override
  public Expr visitDaysSinceLast(DaysSinceLastContext ctx) {
    return new Expr.DaysSinceLast(name(ctx.type), span(ctx));
  }

  @Override
  public Expr visitDecisionRef(DecisionRefContext ctx) {
    return new Expr.DecisionRef(name(ctx.decision), name(ctx.table), span(ctx));
  }

  @Override
  public Expr visitEventRef(EventRefContext ctx) {
    if (ctx.IS() != null) {
      return new Expr.EventIs(name(ctx.type), span(ctx));
    }
    List<String> parts = new ArrayList<>();
    parts.add(ctx.EVENT().getText());
    ctx.anyName().forEach(n -> parts.add(n.getText()));
    return new Expr.Path(parts, span(ctx));
  }

  @Override
  public Expr visitPath(PathContext ctx) {
    if (ctx.anyName().isEmpty()) {
      return new Expr.NameRef(ctx.identifier().getText(), span(ctx));
    }
    List<String> parts = new ArrayList<>();
    parts.add(ctx.identifier().getText());
    ctx.anyName().forEach(n -> parts.add(n.getText()));
    return new Expr.Path(parts, span(ctx));
  }

  @Override
  public Expr visitParenthesized(ParenthesizedContext ctx) {
    return expr(ctx.expression());
  }

  // ---- define literals ----

  @Override
  public Expr visitNumberValue(NumberValueContext ctx) {
    return new Expr.NumberLit(number(ctx.number()), span(ctx));
  }

  @Override
  public Expr visitStringValue(StringValueContext ctx) {
    return textLit(ctx.string());
  }

  @Override
  public Expr visitDateValue(DateValueContext ctx) {
    return new Expr.DateLit(date(ctx.date()), span(ctx));
  }

  @Override
  public Expr visitBooleanValue(BooleanValueContext ctx) {
    return new Expr.BoolLit(ctx.value.getType() == TRUE, span(ctx));
  }

  // ---- leaves ----

  private Expr.TextLit textLit(StringContext ctx) {
    return new Expr.TextLit(text(ctx.getStart()), span(ctx));
  }

  private Name name(StringContext ctx) {
    Token token = ctx.getStart();
    Strings.Unescaped unescaped = Strings.unescape(token.getText(), token.getType() == STRING);
    String text = unescaped.value();
    int refused = Names.firstRefused(text);
    if (refused >= 0) {
      // At the character itself, as written (`\u0000` or the raw character).
      int from = unescaped.offsets()[refused];
      int to = unescaped.offsets()[refused + Character.charCount(text.codePointAt(refused))];
      diagnostics.add(Diagnostic.error("bad-name", spans.inside(token, from, to),
          "a name cannot hold " + Names.describe(text.codePointAt(refused))
              + ": no control, line-separator or bidirectional-formatting characters in names"));
    } else {
      checkLength(text, ctx);
    }
    return new Name(text, span(ctx));
  }

  private Name name(IdentifierContext ctx) {
    checkLength(ctx.getText(), ctx);
    return new Name(ctx.getText(), span(ctx));
  }

  private Name name(AnyNameContext ctx) {
    checkLength(ctx.getText(), ctx);
    return new Name(ctx.getText(), span(ctx));
  }

  private void checkLength(String text, ParserRuleContext ctx) {
    int length = text.codePointCount(0, text.length());
    if (length > Names.MAX_LENGTH) {
      diagnostics.add(Diagnostic.error("bad-name", span(ctx), "a name has at most " + Names.MAX_LENGTH
          + " characters; this one has " + length));
    }
  }

  private static String text(Token string) {
    return Strings.unescape(string.getText(), string.getType() == STRING).value();
  }

  /** Bad numbers were reported by the token checks; their item is dropped, so 0 is harmless. */
  private static BigDecimal number(NumberContext ctx) {
    TerminalNode digits = ctx.NUMBER();
    BigDecimal value = digits == null || digits.getText().length() > TokenChecks.MAX_NUMBER_LENGTH
        ? BigDecimal.ZERO
        : new BigDecimal(digits.getText());
    return ctx.MINUS() != null ? value.negate() : value;
  }

  private LocalDate date(DateContext ctx) {
    LocalDate date = TokenChecks.parseDate(ctx.getText());
    return date == null ? LocalDate.EPOCH : date;
  }

  private DurationLiteral duration(DurationContext ctx) {
    BigDecimal amount = number(ctx.amount);
    long whole = 0;
    if (amount.signum() < 0) {
      diagnostics.add(Diagnostic.error("bad-number", span(ctx.amount),
          "a duration cannot be negative: " + ctx.amount.getText()));
    } else {
      try {
        whole = amount.longValueExact();
      } catch (ArithmeticException e) {
        diagnostics.add(Diagnostic.error("bad-number", span(ctx.amount),
            "a duration needs a whole number: " + ctx.amount.getText()
                + " (use a smaller unit)"));
      }
    }
    DurationLiteral.Unit unit = switch (ctx.unit.getType()) {
      case MINUTE, MINUTES -> DurationLiteral.Unit.MINUTES;
      case HOUR, HOURS -> DurationLiteral.Unit.HOURS;
      case DAY, DAYS -> DurationLiteral.Unit.DAYS;
      default -> DurationLiteral.Unit.WEEKS;
    };
    if (whole > unit.most()) {
      diagnostics.add(Diagnostic.error("duration-too-long", span(ctx),
          "a duration can be at most " + DurationLiteral.MAX.toDays() + " days (about 100 years): "
              + ctx.amount.getText() + " " + unit.keyword()));
      whole = 0;
    }
    return new DurationLiteral(whole, unit, span(ctx));
  }

  private SourceSpan span(ParserRuleContext ctx) {
    return spans.of(ctx);
  }
}
