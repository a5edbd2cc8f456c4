package io.relais.engine.evaluation;

/**
 * What compiling a ruleset is given besides the ruleset: the limits its evaluations keep
 * (configured as {@code relais.templates.*}, docs/operations.md).
 *
 * @param maxTemplateLength the longest a rendered template (the message of {@code notify} and
 *     {@code send}) may be, in characters (UTF-16 code units); a longer one is cut there, with a
 *     {@value ActionCompiler#TEMPLATE_CUT} warning in the decision
 */
public record CompileOptions(int maxTemplateLength) {

  /** The default longest rendered template: 4,096 characters. */
  public static final int DEFAULT_MAX_TEMPLATE_LENGTH = 4096;

  public CompileOptions {
    if (maxTemplateLength < 1) {
      throw new IllegalArgumentException("the longest rendered template must be at least 1 character: "
          + maxTemplateLength);
    }
  }

  /** The defaults: templates cut at {@value #DEFAULT_MAX_TEMPLATE_LENGTH} characters. */
  public static CompileOptions defaults() {
    return new CompileOptions(DEFAULT_MAX_TEMPLATE_LENGTH);
  }
}
