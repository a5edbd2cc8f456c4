package io.relais.dsl.ast;

import io.relais.dsl.source.SourceSpan;

/** Every syntax tree node knows where it came from. */
public interface Node {
  SourceSpan span();
}
