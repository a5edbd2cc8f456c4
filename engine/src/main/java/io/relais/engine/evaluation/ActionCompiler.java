package io.relais.engine.evaluation;

import io.relais.dsl.ast.Stage;
import io.relais.dsl.program.Message;
import io.relais.dsl.program.Operation;
import io.relais.dsl.program.Period;
import io.relais.dsl.program.Program;
import io.relais.dsl.program.Value;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import io.relais.engine.contact.Contact;
import io.relais.engine.compile.Facts;
import io.relais.engine.contact.ContactFacts;
import io.relais.engine.contact.ContactFields;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns each operation of the checked program into a step that reads the phase's snapshot and
 * changes the working state, emitting decisions (docs/language.md ("Actions" to "Alerts")).
 */
final class ActionCompiler {

  /** One compiled action. */
  @FunctionalInterface
  interface Step {
    void apply(ContactFacts snapshot, WorkingState state, Effects effects);
  }

  /** The code that starts the warning of a template cut at its longest (docs/language.md, "Templates"). */
  static final String TEMPLATE_CUT = "template-truncated";

  private final Program program;
  private final ExpressionCompiler expressions;
  private final int maxTemplateLength;
  private final Outgoing outgoing;

  ActionCompiler(Program program, ExpressionCompiler expressions, int maxTemplateLength,
      Outgoing outgoing) {
    this.program = program;
    this.outgoing = outgoing;
    this.expressions = expressions;
    this.maxTemplateLength = maxTemplateLength;
  }

  Step compile(Operation operation, Decision.RuleRef rule) {
    return operation.accept(new Steps(rule, operation.because().orElse(null)));
  }

  /** One step per operation, for one rule; {@code reason} is the author's {@code because}. */
  private final class Steps implements Operation.Visitor<Step> {
    private final Decision.RuleRef rule;
    private final String reason;

    Steps(Decision.RuleRef rule, String reason) {
      this.rule = rule;
      this.reason = reason;
    }

    @Override
    public Step tag(Operation.Tag t) {
      String tag = t.tag();
      ValueFunction by = t.by().map(expressions::value).orElse((f, c) -> BigDecimal.ONE);
      String what = "tag \"" + tag + "\" by";
      return (f, s, e) -> {
        long amount = whole(by.apply(f, null), rule, what, e);
        if (amount == NONE) {
          return;
        }
        int n = (int) amount;
        int count = Math.max(0, s.tags().getOrDefault(tag, 0) + n);
        if (count == 0) {
          s.tagsToChange().remove(tag);
        } else {
          s.tagsToChange().put(tag, count);
        }
        e.decide(Decision.of(Decision.Type.TAG, rule, reason, "tag", tag, "delta", n, "count", count));
      };
    }

    @Override
    public Step untag(Operation.Untag u) {
      String tag = u.tag();
      return (f, s, e) -> {
        if (s.tags().containsKey(tag) && s.tagsToChange().remove(tag) != null) {
          e.decide(Decision.of(Decision.Type.UNTAG, rule, reason, "tag", tag));
        }
      };
    }

    @Override
    public Step addToSegment(Operation.AddToSegment a) {
      String segment = a.segment();
      return (f, s, e) -> {
        if (!s.segments().contains(segment) && s.segmentsToChange().add(segment)) {
          e.decide(Decision.of(Decision.Type.SEGMENT_ADD, rule, reason, "segment", segment));
        }
      };
    }

    @Override
    public Step removeFromSegment(Operation.RemoveFromSegment r) {
      String segment = r.segment();
      return (f, s, e) -> {
        if (s.segments().contains(segment) && s.segmentsToChange().remove(segment)) {
          e.decide(Decision.of(Decision.Type.SEGMENT_REMOVE, rule, reason, "segment", segment));
        }
      };
    }

    @Override
    public Step addScore(Operation.AddScore a) {
      return score(expressions.value(a.amount()), rule, reason, (old, n) -> old + n, "add to score");
    }

    @Override
    public Step subtractScore(Operation.SubtractScore a) {
      return score(expressions.value(a.amount()), rule, reason, (old, n) -> old - n, "subtract from score");
    }

    @Override
    public Step setScore(Operation.SetScore a) {
      return score(expressions.value(a.value()), rule, reason, (old, n) -> n, "set score");
    }

    @Override
    public Step setStage(Operation.SetStage a) {
      Stage to = a.stage();
      return (f, s, e) -> stage(s, to, rule, reason, e);
    }

    @Override
    public Step advanceStage(Operation.AdvanceStage a) {
      Stage to = a.stage();
      return (f, s, e) -> {
        // Forward only, and never out of CUSTOMER or DISQUALIFIED (docs/language.md ("Actions")).
        if (s.stage.isOrdered() && s.stage != Stage.CUSTOMER && to.isOrdered()
            && to.ordinal() > s.stage.ordinal()) {
          stage(s, to, rule, reason, e);
        }
      };
    }

    @Override
    public Step disqualify(Operation.Disqualify d) {
      return (f, s, e) -> stage(s, Stage.DISQUALIFIED, rule, reason, e);
    }

    @Override
    public Step enroll(Operation.Enroll a) {
      String name = a.campaign();
      List<Operation.PlannedStep> planned = a.steps();
      return (f, s, e) -> {
        // No-op while enrolled, and after an exit in this same evaluation: otherwise a
        // contact meeting both the exit and the enroll condition would exit and re-enroll on
        // every event.
        if (s.enrolled(name) || s.exited.contains(name)) {
          return;
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        planned.forEach(step -> {
          Map<String, Object> plan = new LinkedHashMap<>();
          plan.put("step", step.message());
          plan.put("message", step.message());
          plan.put("dueAt", step.after().after(f.now()));
          steps.add(plan);
        });
        Decision enroll = Decision.of(Decision.Type.ENROLL, rule, reason, "campaign", name, "steps", steps);
        if (!Boolean.TRUE.equals(f.contact().consent().email())) {
          e.decide(enroll.suppressed("no email consent"));
          return;
        }
        // The first step due later: the due-step scheduler finds the contact by it.
        Instant nextDue = null;
        for (Operation.PlannedStep step : planned) {
          Instant due = step.after().after(f.now());
          if (due.isAfter(f.now()) && (nextDue == null || due.isBefore(nextDue))) {
            nextDue = due;
          }
        }
        s.enrollmentsToChange().add(new Contact.Enrollment(name, f.now(), true, nextDue));
        e.decide(enroll);
        // A step due at enrollment is decided now, through the checks of any message.
        for (Operation.PlannedStep step : planned) {
          if (step.after().length().isZero()) {
            e.decide(outgoing.decide(f, s, rule, reason, step.message(), "email", name,
                "campaign", name, "step", step.message(), "dueAt", f.now()));
          }
        }
      };
    }

    @Override
    public Step stop(Operation.Stop a) {
      String name = a.campaign();
      return (f, s, e) -> {
        if (s.enrolled(name)) {
          s.endEnrollment(name);
          e.decide(Decision.of(Decision.Type.EXIT, rule, reason, "campaign", name));
        }
      };
    }

    @Override
    public Step send(Operation.Send a) {
      Template message = template(a.message());
      String channel = a.channel().keyword();
      return (f, s, e) -> e.decide(
          outgoing.decide(f, s, rule, reason, message.render(f, rule, e), channel, null));
    }

    @Override
    public Step award(Operation.Award a) {
      ValueFunction points = expressions.value(a.points());
      Optional<Period> expiring = a.expiringIn();
      Period expiry = expiring.orElse(null);
      return (f, s, e) -> {
        long amount = whole(points.apply(f, null), rule, "award", e);
        if (amount == NONE) {
          return;
        }
        int n = (int) amount;
        if (n <= 0) {
          e.warn(rule, "award skipped: " + n + " points is not a positive amount");
          return;
        }
        Instant expiresAt = expiry == null ? null : expiry.after(f.now());
        s.award(new Contact.LedgerLot(BigDecimal.valueOf(n), f.now(), expiresAt, reason, rule.name()), f.now());
        e.decide(Decision.of(Decision.Type.POINTS, rule, reason,
            "delta", n, "balance", s.balance(f.now()), "expiresAt", expiresAt));
      };
    }

    @Override
    public Step deduct(Operation.Deduct a) {
      ValueFunction points = expressions.value(a.points());
      return (f, s, e) -> {
        long amount = whole(points.apply(f, null), rule, "deduct", e);
        if (amount == NONE) {
          return;
        }
        int n = (int) amount;
        if (n <= 0) {
          e.warn(rule, "deduct skipped: " + n + " points is not a positive amount");
          return;
        }
        BigDecimal taken = s.consume(BigDecimal.valueOf(n), f.now());
        if (taken.compareTo(BigDecimal.valueOf(n)) < 0) {
          e.warn(rule, "deduct cut to " + taken.toPlainString() + " points: the balance cannot go below 0");
        }
        e.decide(Decision.of(Decision.Type.POINTS, rule, reason,
            "delta", taken.negate(), "balance", s.balance(f.now()), "expiresAt", null));
      };
    }

    @Override
    public Step grantReward(Operation.GrantReward a) {
      String reward = a.reward();
      BigDecimal cost = a.cost();
      return (f, s, e) -> {
        Decision grant = Decision.of(Decision.Type.REWARD, rule, reason, "reward", reward, "cost", cost);
        if (s.balance(f.now()).compareTo(cost) < 0) {
          e.decide(grant.suppressed("balance too low"));
          return;
        }
        s.consume(cost, f.now());
        e.decide(grant);
      };
    }

    @Override
    public Step notify(Operation.Notify n) {
      Template message = template(n.message());
      Optional<String> fixed = n.to();
      String channel = n.channel().keyword();
      Optional<Period> throttle = n.atMostOncePer();
      Optional<String> defaultOwner = program.defaultOwner();
      // The throttle memory is keyed by the rule's name, as the contact's `alerts` is documented
      // (docs/api.md): a new version of the ruleset keeps throttling what the old one sent.
      String memory = rule.name();
      return (f, s, e) -> {
        String to = fixed.orElseGet(() -> {
          String owner = f.contact().owner();
          return owner != null && !owner.isBlank() ? owner : defaultOwner.orElse(null);
        });
        Decision alert = Decision.of(Decision.Type.ALERT, rule, reason, "to", to, "channel", channel, "message",
            message.render(f, rule, e));
        if (to == null) {
          e.decide(alert.suppressed("no owner and no default owner"));
          return;
        }
        Instant last = s.alerts().get(memory);
        if (throttle.isPresent() && last != null && f.now().isBefore(throttle.get().after(last))) {
          e.decide(alert.suppressed("throttled"));
          return;
        }
        s.alertsToChange().put(memory, f.now());
        e.decide(alert);
      };
    }
  }

  private interface ScoreChange {
    int apply(int old, int amount);
  }

  private static Step score(ValueFunction amount, Decision.RuleRef rule, String reason, ScoreChange change, String what) {
    return (f, s, e) -> {
      long n = whole(amount.apply(f, null), rule, what, e);
      if (n == NONE) {
        return;
      }
      int before = s.score;
      s.score = change.apply(before, (int) n);
      e.decide(Decision.of(Decision.Type.SCORE, rule, reason, "delta", s.score - before, "score", s.score));
    };
  }

  private static void stage(WorkingState s, Stage to, Decision.RuleRef rule, String reason, Effects e) {
    if (s.stage != to) {
      Stage from = s.stage;
      s.stage = to;
      e.decide(Decision.of(Decision.Type.STAGE, rule, reason, "from", from, "to", to));
    }
  }

  /** What {@link #whole} returns for an amount the action must skip. */
  private static final long NONE = Long.MIN_VALUE;

  /**
   * Numbers are floored to whole numbers (an int); an empty value skips the action with a
   * warning, and so does one too large: then {@link #NONE}. A primitive, not an Optional and
   * a lambda: this runs for every score, tag and points action.
   */
  private static long whole(Object value, Decision.RuleRef rule, String what, Effects e) {
    if (!(Values.normalize(value) instanceof BigDecimal number)) {
      e.warn(rule, what + " skipped: the amount is empty");
      return NONE;
    }
    try {
      return number.setScale(0, RoundingMode.FLOOR).intValueExact();
    } catch (ArithmeticException tooLarge) {
      e.warn(rule, what + " skipped: " + number.toPlainString() + " is too large");
      return NONE;
    }
  }

  /** One piece of a template: its literal text, or what its placeholder shows. */
  @FunctionalInterface
  interface Piece {
    String text(ContactFacts facts);
  }

  /**
   * A template bound to its pieces, rendered at most {@code maxLength} characters long. The cut
   * happens while rendering: once the text is that long, no further piece is rendered or
   * appended, so a template of 10,000 placeholders of a 90 KB value never builds a 900 MB
   * string; the decision gets a {@value #TEMPLATE_CUT} warning.
   */
  static final class Template {
    private final Piece[] pieces;
    private final int maxLength;

    Template(List<Piece> pieces, int maxLength) {
      this.pieces = pieces.toArray(Piece[]::new);
      this.maxLength = maxLength;
    }

    String render(ContactFacts facts, Decision.RuleRef rule, Effects effects) {
      StringBuilder out = new StringBuilder();
      for (Piece piece : pieces) {
        String text = piece.text(facts);
        int room = maxLength - out.length();
        if (text.length() <= room) {
          out.append(text);
          continue;
        }
        out.append(text, 0, Values.cutIndex(text, room));
        effects.warn(rule, TEMPLATE_CUT + ": the message was cut to its first " + maxLength + " characters");
        break;
      }
      return out.toString();
    }
  }

  Template template(Message message) {
    List<Piece> parts = new ArrayList<>();
    for (Message.Piece piece : message.pieces()) {
      parts.add(piece.accept(pieces));
    }
    return new Template(parts, maxTemplateLength);
  }

  // Each piece of a template as the renderer of its text.
  private final Message.Visitor<Piece> pieces = new Message.Visitor<>() {
    @Override
    public Piece text(Message.Text text) {
      String literal = text.text();
      return f -> literal;
    }

    @Override
    public Piece placeholder(Message.Placeholder p) {
      Function<ContactFacts, Object> value = p.value().accept(placeholders);
      String fallback = p.fallback();
      return f -> {
        Object v = value.apply(f);
        return Values.isEmpty(v) ? fallback : display(v);
      };
    }
  };

  /**
   * What a placeholder shows: a field or an event attribute as stored (a template prints
   * whatever is there), a constant, a stage, a table's decision; any other value as computed.
   */
  private final Value.Visitor<Function<ContactFacts, Object>> placeholders = new Value.Visitor<>() {
    @Override
    public Function<ContactFacts, Object> contactField(Value.ContactField v) {
      io.relais.engine.compile.FieldRead read = ContactFields.read(v.jsonPath());
      return read::read;
    }

    @Override
    public Function<ContactFacts, Object> eventAttribute(Value.EventAttribute v) {
      Function<Facts.EventFact, Object> read = Facts.EventFact.attribute(v.attribute());
      return f -> f.triggering().map(read::apply).orElse(null);
    }

    @Override
    public Function<ContactFacts, Object> constant(Value.Constant v) {
      Object value = v.value();
      return f -> value;
    }

    @Override
    public Function<ContactFacts, Object> literal(Value.Literal v) {
      Object value = v.value();
      return f -> value;
    }

    @Override
    public Function<ContactFacts, Object> decision(Value.Decision v) { // docs/language.md ("Decision tables")
      Function<io.relais.engine.compile.Facts, Object> value = expressions.tables().placeholder(v);
      return value::apply;
    }

    private Function<ContactFacts, Object> computed(Value v) {
      ValueFunction value = expressions.value(v);
      return f -> value.apply(f, null);
    }

    @Override
    public Function<ContactFacts, Object> countedAttribute(Value.CountedAttribute v) {
      return computed(v);
    }

    @Override
    public Function<ContactFacts, Object> tagCount(Value.TagCount v) {
      return computed(v);
    }

    @Override
    public Function<ContactFacts, Object> count(Value.Count v) {
      return computed(v);
    }

    @Override
    public Function<ContactFacts, Object> sum(Value.Sum v) {
      return computed(v);
    }

    @Override
    public Function<ContactFacts, Object> daysSinceLast(Value.DaysSinceLast v) {
      return computed(v);
    }

    @Override
    public Function<ContactFacts, Object> arithmetic(Value.Arithmetic v) {
      return computed(v);
    }

    @Override
    public Function<ContactFacts, Object> test(Value.Test v) {
      return computed(v);
    }
  };

  private static String display(Object value) {
    Object v = Values.normalize(value);
    return v instanceof BigDecimal n ? n.stripTrailingZeros().toPlainString() : String.valueOf(v);
  }
}
