package io.relais.engine.audience;

import io.relais.dsl.source.SourceSpan;

/**
 * A part of a condition that cannot run as a store query: it reads the triggering event, the
 * history, a value derived at evaluation time, or computes. {@code part} is the part as the
 * author wrote it (canonical form), {@code span} where it sits in the condition.
 */
public final class NotPushableException extends RuntimeException {

  private final String part;
  private final SourceSpan span;

  public NotPushableException(String part, SourceSpan span, String reason) {
    super(AudienceCondition.relative(span).position() + ": `" + part + "` cannot run as a store query: " + reason);
    this.part = part;
    this.span = AudienceCondition.relative(span);
  }

  public String part() {
    return part;
  }

  public SourceSpan span() {
    return span;
  }
}
