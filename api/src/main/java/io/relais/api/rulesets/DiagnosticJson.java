package io.relais.api.rulesets;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.relais.dsl.diagnostic.Diagnostic;
import java.util.List;

/** A diagnostic as the API shows it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DiagnosticJson(
    String file, int line, int column, String severity, String code, String message, String suggestion) {

  public static DiagnosticJson of(Diagnostic d) {
    return new DiagnosticJson(d.span().file(), d.span().line(), d.span().column(), d.severity().label(),
        d.code(), d.message(), d.suggestion().orElse(null));
  }

  public static List<DiagnosticJson> all(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(DiagnosticJson::of).toList();
  }
}
