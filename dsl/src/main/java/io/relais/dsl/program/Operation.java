package io.relais.dsl.program;

import io.relais.dsl.ast.Action;
import io.relais.dsl.ast.Stage;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * What a rule of the checked program does: one record per action, with its amounts typed,
 * its campaign and reward looked up and its durations checked.
 */
public sealed interface Operation {

  /** The author's {@code because "..."}, if any. */
  Optional<String> because();

  /** Calls the visitor's method for this record. */
  <R> R accept(Visitor<R> visitor);

  /** One method per record: a new action is a compile error in every visitor. */
  interface Visitor<R> {
    R tag(Tag o);

    R untag(Untag o);

    R addToSegment(AddToSegment o);

    R removeFromSegment(RemoveFromSegment o);

    R addScore(AddScore o);

    R subtractScore(SubtractScore o);

    R setScore(SetScore o);

    R setStage(SetStage o);

    R advanceStage(AdvanceStage o);

    R disqualify(Disqualify o);

    R enroll(Enroll o);

    R stop(Stop o);

    R send(Send o);

    R award(Award o);

    R deduct(Deduct o);

    R grantReward(GrantReward o);

    R notify(Notify o);
  }

  /** {@code tag "X" [by N]}: {@code by} is empty for one. */
  record Tag(String tag, Optional<Value> by, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.tag(this);
    }
  }

  /** {@code untag "X"}. */
  record Untag(String tag, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.untag(this);
    }
  }

  /** {@code add to segment "S"}. */
  record AddToSegment(String segment, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.addToSegment(this);
    }
  }

  /** {@code remove from segment "S"}. */
  record RemoveFromSegment(String segment, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.removeFromSegment(this);
    }
  }

  /** {@code add N to score}. */
  record AddScore(Value amount, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.addScore(this);
    }
  }

  /** {@code subtract N from score}. */
  record SubtractScore(Value amount, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.subtractScore(this);
    }
  }

  /** {@code set score to N}. */
  record SetScore(Value value, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.setScore(this);
    }
  }

  /** {@code set stage to S}. */
  record SetStage(Stage stage, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.setStage(this);
    }
  }

  /** {@code advance stage to S}: an ordered stage, forward only. */
  record AdvanceStage(Stage stage, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.advanceStage(this);
    }
  }

  /** {@code disqualify}. */
  record Disqualify(Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.disqualify(this);
    }
  }

  /** {@code enroll in "C"}: the campaign's steps, each planned {@code after} the enrolment. */
  record Enroll(String campaign, List<PlannedStep> steps, Optional<String> because)
      implements Operation {
    public Enroll {
      steps = List.copyOf(steps);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.enroll(this);
    }
  }

  /** One step of a campaign: the message sent {@code after} the enrolment. */
  record PlannedStep(String message, Period after) {}

  /** {@code stop "C"}. */
  record Stop(String campaign, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.stop(this);
    }
  }

  /** {@code send "template" [via sms]}; {@code channel} is email or sms. */
  record Send(Message message, Action.Channel channel, Optional<String> because)
      implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.send(this);
    }
  }

  /** {@code award N points [expiring in D]}. */
  record Award(Value points, Optional<Period> expiringIn, Optional<String> because)
      implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.award(this);
    }
  }

  /** {@code deduct N points}. */
  record Deduct(Value points, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.deduct(this);
    }
  }

  /** {@code grant reward "R"}: the declared reward and what it costs. */
  record GrantReward(String reward, BigDecimal cost, Optional<String> because)
      implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.grantReward(this);
    }
  }

  /**
   * {@code notify owner|"address" [via C] with "template" [at most once per D]}: {@code to} is
   * empty for the owner.
   */
  record Notify(Optional<String> to, Action.Channel channel, Message message,
      Optional<Period> atMostOncePer, Optional<String> because) implements Operation {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.notify(this);
    }
  }
}
