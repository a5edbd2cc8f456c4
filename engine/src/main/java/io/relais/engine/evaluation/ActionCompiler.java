package io.relais.engine.evaluation;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Stage;
import io.relais.dsl.ast.Template;
import io.relais.dsl.check.CheckedRuleset;
import io.relais.dsl.check.Resolution;
import io.relais.engine.compile.ExpressionCompiler;
import io.relais.engine.compile.ValueFunction;
import io.relais.engine.compile.Values;
import io.relais.engine.contact.Contact;
import io.relais.engine.contact.ContactFacts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns each action into a step that reads the phase's snapshot and changes the working
 * state, emitting decisions (docs/language.md ("Actions" to "Alerts")).
 */
final class ActionCompiler {

  /** One compiled action. */
  @FunctionalInterface
  interface Step {
    void apply(ContactFacts snapshot, WorkingState state, Effects effects);
  }

  private final CheckedRuleset ruleset;
  private final ExpressionCompiler expressions;

  ActionCompiler(CheckedRuleset ruleset, ExpressionCompiler expressions) {
    this.ruleset = ruleset;
    this.expressions = expressions;
  }

  Step compile(Action action, Decision.RuleRef rule) {
    String reason = action.because().map(b -> b.text()).orElse(null);
    if (action instanceof Action.Tag t) {
      String tag = t.tag().text();
      ValueFunction by = t.by().map(expressions::value).orElse((f, c) -> BigDecimal.ONE);
      return (f, s, e) -> whole(by.apply(f, null), rule, "tag \"" + tag + "\" by", e).ifPresent(n -> {
        int count = Math.max(0, s.tags.getOrDefault(tag, 0) + n);
        if (count == 0) {
          s.tags.remove(tag);
        } else {
          s.tags.put(tag, count);
        }
        e.decide(Decision.of(Decision.Type.TAG, rule, reason, "tag", tag, "delta", n, "count", count));
      });
    }
    if (action instanceof Action.Untag u) {
      String tag = u.tag().text();
      return (f, s, e) -> {
        if (s.tags.remove(tag) != null) {
          e.decide(Decision.of(Decision.Type.UNTAG, rule, reason, "tag", tag));
        }
      };
    }
    if (action instanceof Action.AddToSegment a) {
      String segment = a.segment().text();
      return (f, s, e) -> {
        if (s.segments.add(segment)) {
          e.decide(Decision.of(Decision.Type.SEGMENT_ADD, rule, reason, "segment", segment));
        }
      };
    }
    if (action instanceof Action.RemoveFromSegment r) {
      String segment = r.segment().text();
      return (f, s, e) -> {
        if (s.segments.remove(segment)) {
          e.decide(Decision.of(Decision.Type.SEGMENT_REMOVE, rule, reason, "segment", segment));
        }
      };
    }
    if (action instanceof Action.AddScore a) {
      return score(expressions.value(a.amount()), rule, reason, (old, n) -> old + n, "add to score");
    }
    if (action instanceof Action.SubtractScore a) {
      return score(expressions.value(a.amount()), rule, reason, (old, n) -> old - n, "subtract from score");
    }
    if (action instanceof Action.SetScore a) {
      return score(expressions.value(a.value()), rule, reason, (old, n) -> n, "set score");
    }
    if (action instanceof Action.SetStage a) {
      Stage to = Stage.valueOf(a.stage().text());
      return (f, s, e) -> stage(s, to, rule, reason, e);
    }
    if (action instanceof Action.AdvanceStage a) {
      Stage to = Stage.valueOf(a.stage().text());
      return (f, s, e) -> {
        // Forward only, and never out of CUSTOMER or DISQUALIFIED (docs/language.md ("Actions")).
        if (s.stage.isOrdered() && s.stage != Stage.CUSTOMER && to.isOrdered()
            && to.ordinal() > s.stage.ordinal()) {
          stage(s, to, rule, reason, e);
        }
      };
    }
    if (action instanceof Action.Disqualify) {
      return (f, s, e) -> stage(s, Stage.DISQUALIFIED, rule, reason, e);
    }
    if (action instanceof Action.Enroll a) {
      String name = a.campaign().text();
      CheckedRuleset.Campaign campaign = ruleset.campaign(name).orElseThrow();
      return (f, s, e) -> {
        // No-op while enrolled, and after an exit in this same evaluation: otherwise a
        // contact meeting both the exit and the enroll condition would exit and re-enroll on
        // every event.
        if (s.enrolled(name) || s.exited.contains(name)) {
          return;
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        campaign.steps().forEach(step -> {
          Map<String, Object> planned = new LinkedHashMap<>();
          planned.put("message", step.message().text());
          planned.put("sendAt", f.now().plus(step.after().toDuration()));
          steps.add(planned);
        });
        Decision enroll = Decision.of(Decision.Type.ENROLL, rule, reason, "campaign", name, "steps", steps);
        if (!Boolean.TRUE.equals(f.contact().consent().email())) {
          e.decide(enroll.suppressed("no email consent"));
          return;
        }
        s.enrollments.add(new Contact.Enrollment(name, f.now(), true));
        e.decide(enroll);
      };
    }
    if (action instanceof Action.Stop a) {
      String name = a.campaign().text();
      return (f, s, e) -> {
        if (s.enrolled(name)) {
          s.endEnrollment(name);
          e.decide(Decision.of(Decision.Type.EXIT, rule, reason, "campaign", name));
        }
      };
    }
    if (action instanceof Action.Send a) {
      Renderer message = renderer(a.message());
      return (f, s, e) -> {
        Decision send = Decision.of(Decision.Type.MESSAGE, rule, reason, "message", message.render(f), "sendAt", f.now());
        e.decide(Boolean.TRUE.equals(f.contact().consent().email()) ? send : send.suppressed("no email consent"));
      };
    }
    if (action instanceof Action.Award a) {
      ValueFunction points = expressions.value(a.points());
      Optional<Duration> expiring = a.expiringIn().map(d -> d.toDuration());
      return (f, s, e) -> whole(points.apply(f, null), rule, "award", e).ifPresent(n -> {
        if (n <= 0) {
          e.warn(rule, "award skipped: " + n + " points is not a positive amount");
          return;
        }
        Instant expiresAt = expiring.map(d -> f.now().plus(d)).orElse(null);
        s.ledger.add(new Contact.LedgerLot(BigDecimal.valueOf(n), f.now(), expiresAt, reason, rule.name()));
        e.decide(Decision.of(Decision.Type.POINTS, rule, reason,
            "delta", n, "balance", s.balance(f.now()), "expiresAt", expiresAt));
      });
    }
    if (action instanceof Action.Deduct a) {
      ValueFunction points = expressions.value(a.points());
      return (f, s, e) -> whole(points.apply(f, null), rule, "deduct", e).ifPresent(n -> {
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
      });
    }
    if (action instanceof Action.GrantReward a) {
      CheckedRuleset.Reward reward = ruleset.reward(a.reward().text()).orElseThrow();
      return (f, s, e) -> {
        Decision grant = Decision.of(Decision.Type.REWARD, rule, reason, "reward", reward.name(), "cost", reward.cost());
        if (s.balance(f.now()).compareTo(reward.cost()) < 0) {
          e.decide(grant.suppressed("balance too low"));
          return;
        }
        s.consume(reward.cost(), f.now());
        e.decide(grant);
      };
    }
    if (action instanceof Action.Notify n) {
      Renderer message = renderer(n.message());
      Optional<String> fixed = n.to().map(t -> t.text());
      String channel = n.via().orElse(Action.Channel.EMAIL).keyword();
      Optional<Duration> throttle = n.atMostOncePer().map(d -> d.toDuration());
      Optional<String> defaultOwner = ruleset.defaultOwner();
      return (f, s, e) -> {
        String to = fixed.orElseGet(() -> {
          String owner = f.contact().owner();
          return owner != null && !owner.isBlank() ? owner : defaultOwner.orElse(null);
        });
        Decision alert = Decision.of(Decision.Type.ALERT, rule, reason, "to", to, "channel", channel, "message", message.render(f));
        if (to == null) {
          e.decide(alert.suppressed("no owner and no default owner"));
          return;
        }
        Instant last = s.alerts.get(rule.name());
        if (throttle.isPresent() && last != null && f.now().isBefore(last.plus(throttle.get()))) {
          e.decide(alert.suppressed("throttled"));
          return;
        }
        s.alerts.put(rule.name(), f.now());
        e.decide(alert);
      };
    }
    throw new IllegalStateException("no compiled form for " + action.getClass().getSimpleName());
  }

  private interface ScoreChange {
    int apply(int old, int amount);
  }

  private static Step score(ValueFunction amount, Decision.RuleRef rule, String reason, ScoreChange change, String what) {
    return (f, s, e) -> whole(amount.apply(f, null), rule, what, e).ifPresent(n -> {
      int before = s.score;
      s.score = change.apply(before, n);
      e.decide(Decision.of(Decision.Type.SCORE, rule, reason, "delta", s.score - before, "score", s.score));
    });
  }

  private static void stage(WorkingState s, Stage to, Decision.RuleRef rule, String reason, Effects e) {
    if (s.stage != to) {
      Stage from = s.stage;
      s.stage = to;
      e.decide(Decision.of(Decision.Type.STAGE, rule, reason, "from", from, "to", to));
    }
  }

  /** Numbers are floored to whole numbers; an empty value skips the action with a warning. */
  private static Optional<Integer> whole(Object value, Decision.RuleRef rule, String what, Effects e) {
    if (!(Values.normalize(value) instanceof BigDecimal number)) {
      e.warn(rule, what + " skipped: the amount is empty");
      return Optional.empty();
    }
    try {
      return Optional.of(number.setScale(0, RoundingMode.FLOOR).intValueExact());
    } catch (ArithmeticException tooLarge) {
      e.warn(rule, what + " skipped: " + number.toPlainString() + " is too large");
      return Optional.empty();
    }
  }

  /** A template bound to what its placeholders resolved to. */
  @FunctionalInterface
  interface Renderer {
    String render(ContactFacts facts);
  }

  Renderer renderer(Template template) {
    List<Renderer> parts = new ArrayList<>();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Text text) {
        String literal = text.text();
        parts.add(f -> literal);
      } else if (part instanceof Template.DecisionPlaceholder d) { // docs/language.md ("Decision tables")
        var value = expressions.tables().placeholder(ruleset.resolutions().resolutionOf(d));
        String fallback = d.fallback().orElse("");
        parts.add(f -> {
          Object v = value.apply(f);
          return Values.isEmpty(v) ? fallback : display(v);
        });
      } else {
        Template.Placeholder p = (Template.Placeholder) part;
        Resolution resolution = ruleset.resolutions().resolutionOf(p);
        String fallback = p.fallback().orElse("");
        parts.add(f -> {
          Object value = placeholderValue(resolution, f);
          return Values.isEmpty(value) ? fallback : display(value);
        });
      }
    }
    return f -> {
      StringBuilder out = new StringBuilder();
      parts.forEach(r -> out.append(r.render(f)));
      return out.toString();
    };
  }

  private static Object placeholderValue(Resolution resolution, ContactFacts facts) {
    if (resolution instanceof Resolution.ContactField field) {
      return facts.contactField(field.field().jsonPath());
    }
    if (resolution instanceof Resolution.TriggeringEventAttribute attribute) {
      return facts.triggering().map(ev -> ev.attribute(attribute.attribute())).orElse(null);
    }
    if (resolution instanceof Resolution.ConstantRef constant) {
      return constant.constant().value();
    }
    if (resolution instanceof Resolution.StageRef stage) {
      return stage.stage();
    }
    return null;
  }

  private static String display(Object value) {
    Object v = Values.normalize(value);
    return v instanceof BigDecimal n ? n.stripTrailingZeros().toPlainString() : String.valueOf(v);
  }
}
