package io.relais.dsl.ast;

import java.util.Locale;

/** The six rule kinds, declared in the order of the phases they run in. */
public enum RuleKind {
  SEGMENT,
  SCORING,
  QUALIFY,
  NURTURE,
  LOYALTY,
  ALERT;

  /** 1-based phase number. */
  public int phase() {
    return ordinal() + 1;
  }

  /** The keyword that starts such a rule. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
