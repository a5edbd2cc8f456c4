package io.relais.dsl.language;

import io.relais.dsl.diagnostic.Diagnostic;

/** A diagnostic's "did you mean": its title and the edit that applies the suggestion. */
public record QuickFix(String title, Diagnostic diagnostic, TextEdit edit) {}
