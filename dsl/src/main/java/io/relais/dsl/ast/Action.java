package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.util.Optional;

/**
 * What a rule does when it fires. Every action may end with {@code because "text"}; which
 * kinds may use which action is the checker's business.
 */
public sealed interface Action extends Node {

  /** The author's {@code because "..."}, if any. */
  Optional<Name> because();

  /** Calls the visitor's method for this action's record. */
  <R> R accept(Visitor<R> visitor);

  /** One method per action: a new action is a compile error in every visitor. */
  interface Visitor<R> {
    R tag(Tag a);

    R untag(Untag a);

    R addToSegment(AddToSegment a);

    R removeFromSegment(RemoveFromSegment a);

    R addScore(AddScore a);

    R subtractScore(SubtractScore a);

    R setScore(SetScore a);

    R setStage(SetStage a);

    R advanceStage(AdvanceStage a);

    R disqualify(Disqualify a);

    R enroll(Enroll a);

    R stop(Stop a);

    R send(Send a);

    R award(Award a);

    R deduct(Deduct a);

    R grantReward(GrantReward a);

    R notify(Notify a);
  }

  /** {@code tag "X"} or {@code tag "X" by N}. */
  record Tag(Name tag, Optional<Expr> by, Optional<Name> because, SourceSpan span)
      implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.tag(this);
    }
  }

  /** {@code untag "X"}. */
  record Untag(Name tag, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.untag(this);
    }
  }

  /** {@code add to segment "S"}. */
  record AddToSegment(Name segment, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.addToSegment(this);
    }
  }

  /** {@code remove from segment "S"}. */
  record RemoveFromSegment(Name segment, Optional<Name> because, SourceSpan span)
      implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.removeFromSegment(this);
    }
  }

  /** {@code add N to score}. */
  record AddScore(Expr amount, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.addScore(this);
    }
  }

  /** {@code subtract N from score}. */
  record SubtractScore(Expr amount, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.subtractScore(this);
    }
  }

  /** {@code set score to N}. */
  record SetScore(Expr value, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.setScore(this);
    }
  }

  /** {@code set stage to S}: any stage. */
  record SetStage(Name stage, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.setStage(this);
    }
  }

  /** {@code advance stage to S}: forward only, never out of CUSTOMER or DISQUALIFIED. */
  record AdvanceStage(Name stage, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.advanceStage(this);
    }
  }

  /** {@code disqualify [because "..."]}. */
  record Disqualify(Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.disqualify(this);
    }
  }

  /** {@code enroll in "campaign"}. */
  record Enroll(Name campaign, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.enroll(this);
    }
  }

  /** {@code stop "campaign"}. */
  record Stop(Name campaign, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stop(this);
    }
  }

  /**
   * {@code send "message" [via sms]}: {@code message} is a template; {@code via} empty is
   * e-mail.
   */
  record Send(Template message, Optional<Channel> via, Optional<Name> because, SourceSpan span)
      implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.send(this);
    }
  }

  /** {@code award N points [expiring in D]}. */
  record Award(
      Expr points, Optional<DurationLiteral> expiringIn, Optional<Name> because, SourceSpan span)
      implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.award(this);
    }
  }

  /** {@code deduct N points}. */
  record Deduct(Expr points, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deduct(this);
    }
  }

  /** {@code grant reward "R"}. */
  record GrantReward(Name reward, Optional<Name> because, SourceSpan span) implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.grantReward(this);
    }
  }

  /**
   * {@code notify owner|"address" [via CHANNEL] with "template" [at most once per D]}.
   * {@code to} is empty for {@code owner}.
   */
  record Notify(
      Optional<Name> to,
      Optional<Channel> via,
      Template message,
      Optional<DurationLiteral> atMostOncePer,
      Optional<Name> because,
      SourceSpan span)
      implements Action {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.notify(this);
    }
  }

  /** Alert channels; {@code email} when none is given. */
  enum Channel {
    EMAIL,
    SLACK,
    SMS,
    WEBHOOK;

    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
