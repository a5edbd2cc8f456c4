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

  /** {@code tag "X"} or {@code tag "X" by N}. */
  record Tag(Name tag, Optional<Expr> by, Optional<Name> because, SourceSpan span)
      implements Action {}

  /** {@code untag "X"}. */
  record Untag(Name tag, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code add to segment "S"}. */
  record AddToSegment(Name segment, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code remove from segment "S"}. */
  record RemoveFromSegment(Name segment, Optional<Name> because, SourceSpan span)
      implements Action {}

  /** {@code add N to score}. */
  record AddScore(Expr amount, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code subtract N from score}. */
  record SubtractScore(Expr amount, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code set score to N}. */
  record SetScore(Expr value, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code set stage to S}: any stage. */
  record SetStage(Name stage, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code advance stage to S}: forward only, never out of CUSTOMER or DISQUALIFIED. */
  record AdvanceStage(Name stage, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code disqualify [because "..."]}. */
  record Disqualify(Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code enroll in "campaign"}. */
  record Enroll(Name campaign, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code stop "campaign"}. */
  record Stop(Name campaign, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code send "message"}: {@code message} is a template. */
  record Send(Template message, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code award N points [expiring in D]}. */
  record Award(
      Expr points, Optional<DurationLiteral> expiringIn, Optional<Name> because, SourceSpan span)
      implements Action {}

  /** {@code deduct N points}. */
  record Deduct(Expr points, Optional<Name> because, SourceSpan span) implements Action {}

  /** {@code grant reward "R"}. */
  record GrantReward(Name reward, Optional<Name> because, SourceSpan span) implements Action {}

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
      implements Action {}

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
