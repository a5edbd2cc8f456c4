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
  private final boolean residual;

  public NotPushableException(String part, SourceSpan span, String reason) {
    this(part, span, reason, false);
  }

  /**
   * @param residual the part reads only stored contact fields (it compares or computes with two
   *     of them): Relais can evaluate it itself over the store query's candidates
   *     (docs/audiences.md, "Residual scans")
   */
  NotPushableException(String part, SourceSpan span, String reason, boolean residual) {
    super(AudienceCondition.relative(span).position() + ": `" + part + "` cannot run as a store query: " + reason);
    this.part = part;
    this.span = AudienceCondition.relative(span);
    this.residual = residual;
  }

  /** Whether the part only reads stored contact fields, so that a residual scan can evaluate it. */
  public boolean residual() {
    return residual;
  }

  public String part() {
    return part;
  }

  public SourceSpan span() {
    return span;
  }
}
