package io.relais.dsl.language;

import io.relais.dsl.source.SourceSpan;
import java.util.List;

/**
 * An item of a file's outline: a rule, a campaign and its steps, a table, a declaration.
 *
 * @param detail what sort of item ({@code scoring rule}, {@code campaign}...)
 * @param range the whole item
 * @param selection its name
 */
public record Symbol(
    String name, Kind kind, String detail, SourceSpan range, SourceSpan selection,
    List<Symbol> children) {

  public Symbol {
    children = List.copyOf(children);
  }

  /** What sort of item. */
  public enum Kind {
    HEADER,
    ATTRIBUTE,
    EVENT_TYPE,
    FIELD,
    CONSTANT,
    CAMPAIGN,
    STEP,
    TIER,
    REWARD,
    TABLE,
    INPUT,
    RULE
  }
}
