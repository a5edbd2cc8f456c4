package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** A top-level item of a file: a header line, a declaration or a rule. */
public sealed interface Item extends Node {

  /** Calls the visitor's method for this record. */
  <R> R accept(Visitor<R> visitor);

  /** One method per item: a new kind of item is a compile error in every visitor. */
  interface Visitor<R> {
    R rulesetHeader(RulesetHeader i);

    R timezoneHeader(TimezoneHeader i);

    R defaultOwnerHeader(DefaultOwnerHeader i);

    R quietHours(QuietHours i);

    R frequencyCap(FrequencyCap i);

    R attributeDecl(AttributeDecl i);

    R eventDecl(EventDecl i);

    R define(Define i);

    R campaign(Campaign i);

    R tier(Tier i);

    R reward(Reward i);

    R rule(Rule i);

    R table(Table i);
  }

  /** {@code ruleset "acme-auto"}: names the ruleset. */
  record RulesetHeader(Name name, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.rulesetHeader(this);
    }
  }

  /** {@code timezone "Europe/Paris"}: the zone of every calendar notion. */
  record TimezoneHeader(Name zone, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.timezoneHeader(this);
    }
  }

  /** {@code default owner "sales@acme.fr"}: who gets {@code notify owner} without an owner. */
  record DefaultOwnerHeader(Name address, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.defaultOwnerHeader(this);
    }
  }

  /**
   * {@code quiet hours 21:00 to 08:00}: local times of day as written ({@code HH:MM}, range
   * checked by the checker); marketing messages decided between them wait until {@code until}.
   */
  record QuietHours(Name from, Name until, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.quietHours(this);
    }
  }

  /**
   * {@code at most 3 messages per 7 days [via sms]}: a cap on marketing messages over every
   * campaign and {@code send}; {@code via} empty caps every channel.
   */
  record FrequencyCap(BigDecimal limit, DurationLiteral per, Optional<Action.Channel> via,
      SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.frequencyCap(this);
    }
  }

  /**
   * {@code attribute contact.industry : text}. {@code name} is the part after
   * {@code contact.}; {@code type} is the type word as written (checked by the checker).
   */
  record AttributeDecl(Name name, Name type, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.attributeDecl(this);
    }
  }

  /** {@code event webinar_attended { title: text, minutes: number }}. */
  record EventDecl(Name name, List<FieldDecl> fields, SourceSpan span) implements Item {
    public EventDecl {
      fields = List.copyOf(fields);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.eventDecl(this);
    }
  }

  /** One {@code name: type} inside an event declaration. */
  record FieldDecl(Name name, Name type, SourceSpan span) implements Node {}

  /** {@code define HOT = 100}: a named constant; {@code value} is a literal. */
  record Define(Name name, Expr value, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.define(this);
    }
  }

  /** A nurturing campaign: message steps and an optional exit condition. */
  record Campaign(Name name, List<Step> steps, Optional<Expr> exitWhen, SourceSpan span)
      implements Item {
    public Campaign {
      steps = List.copyOf(steps);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.campaign(this);
    }
  }

  /** {@code step "leasing-intro" after 3 days}. */
  record Step(Name message, DurationLiteral after, SourceSpan span) implements Node {}

  /**
   * {@code tier "Gold" from 2000 points}, on the balance; with {@code earnedWithin}
   * ({@code ... points earned within 365 days}) on the points earned in that window.
   */
  record Tier(Name name, BigDecimal threshold, Optional<DurationLiteral> earnedWithin, SourceSpan span)
      implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.tier(this);
    }
  }

  /** {@code reward "free-shipping" costs 0 points}. */
  record Reward(Name name, BigDecimal cost, SourceSpan span) implements Item {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.reward(this);
    }
  }

  /**
   * A rule of one of the six kinds. {@code priority} defaults to 0; {@code when} is empty
   * when the rule always applies; dates are inclusive, in the ruleset's zone.
   */
  record Rule(
      RuleKind kind,
      Name name,
      Optional<Integer> priority,
      Optional<LocalDate> activeFrom,
      Optional<LocalDate> activeUntil,
      Optional<Expr> when,
      List<Action> actions,
      SourceSpan span)
      implements Item {
    public Rule {
      actions = List.copyOf(actions);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.rule(this);
    }
  }

  // ---- decision tables (docs/language.md ("Decision tables")) ----

  /**
   * {@code table "Lead fit" from "lead-fit.dmn" input "Industry" = contact.industry ... end}:
   * the DMN model of a {@code .dmn} file of the ruleset, its inputs bound to expressions.
   */
  record Table(Name name, Name file, List<InputBinding> inputs, SourceSpan span) implements Item {
    public Table {
      inputs = List.copyOf(inputs);
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.table(this);
    }
  }

  /** {@code input "Industry" = contact.industry}: what one {@code inputData} of the model reads. */
  record InputBinding(Name input, Expr value, SourceSpan span) implements Node {}
}
