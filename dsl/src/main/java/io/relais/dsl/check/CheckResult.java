package io.relais.dsl.check;

import io.relais.dsl.diagnostic.Diagnostic;
import java.util.List;
import java.util.Optional;

/** The checked ruleset (present iff there is no error) and every diagnostic found. */
public record CheckResult(Optional<CheckedRuleset> ruleset, List<Diagnostic> diagnostics) {

  public CheckResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }

  public List<Diagnostic> errors() {
    return diagnostics.stream().filter(Diagnostic::isError).toList();
  }

  public List<Diagnostic> warnings() {
    return diagnostics.stream().filter(d -> !d.isError()).toList();
  }
}
