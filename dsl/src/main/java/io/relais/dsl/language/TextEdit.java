package io.relais.dsl.language;

import io.relais.dsl.source.SourceSpan;

/** Replace the text of {@code range} (one file) with {@code newText}. */
public record TextEdit(SourceSpan range, String newText) {}
