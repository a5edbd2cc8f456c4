package io.relais.engine.registry;

/** A ruleset over the size or file-count limit, refused before it is parsed. */
public final class RulesetTooLargeException extends RuntimeException {

  public RulesetTooLargeException(String message) {
    super(message);
  }
}
