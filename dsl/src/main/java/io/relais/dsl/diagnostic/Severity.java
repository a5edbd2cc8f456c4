package io.relais.dsl.diagnostic;

/** How bad a diagnostic is: any error keeps a ruleset from being activated. */
public enum Severity {
  ERROR,
  WARNING;

  /** The lower-case word used in rendered diagnostics and in JSON. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
