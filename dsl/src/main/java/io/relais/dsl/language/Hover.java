package io.relais.dsl.language;

import io.relais.dsl.source.SourceSpan;

/** What a word means: Markdown (a title line with its type, then one line of documentation). */
public record Hover(String markdown, SourceSpan range) {}
