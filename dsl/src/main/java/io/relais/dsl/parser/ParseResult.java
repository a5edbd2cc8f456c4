package io.relais.dsl.parser;

import io.relais.dsl.ast.RuleFile;
import io.relais.dsl.diagnostic.Diagnostic;
import java.util.List;

/**
 * The tree of one file and every problem found while parsing it. The tree is partial when
 * there are errors: items that failed to parse are left out.
 */
public record ParseResult(RuleFile file, List<Diagnostic> diagnostics) {

  public ParseResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
