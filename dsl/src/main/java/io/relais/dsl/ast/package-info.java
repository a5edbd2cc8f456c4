/**
 * The syntax tree of the Relais rule language: immutable records, each with its
 * {@link io.relais.dsl.source.SourceSpan}. Nothing here knows ANTLR; names are not yet
 * resolved (that is the checker's work).
 */
package io.relais.dsl.ast;
