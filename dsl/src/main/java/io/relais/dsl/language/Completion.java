package io.relais.dsl.language;

import io.relais.dsl.source.SourceSpan;

/**
 * One completion: what it is called, what sort of thing it is, its type ({@code detail}) and a
 * line of documentation, the text to insert and the span it replaces (the word being typed,
 * or the empty span at the position).
 */
public record Completion(
    String label, Kind kind, String detail, String documentation, String insertText,
    SourceSpan replace) {

  /** What a completion names. */
  public enum Kind {
    KEYWORD,
    FIELD,
    ATTRIBUTE,
    EVENT_TYPE,
    CONSTANT,
    STAGE,
    TYPE,
    CHANNEL,
    CAMPAIGN,
    TIER,
    REWARD,
    TABLE,
    DECISION,
    INPUT,
    TAG,
    SEGMENT,
    MESSAGE,
    FILE,
    TIMEZONE
  }
}
