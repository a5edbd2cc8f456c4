package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;

/**
 * A name as written: a quoted name ({@code "VIP"}, unescaped) or a bare identifier
 * ({@code page_visit}, {@code MQL}, {@code HOT}).
 */
public record Name(String text, SourceSpan span) implements Node {}
