/**
 * The rule language for editors (docs/editors.md): diagnostics, completion, hover, go to
 * definition, document symbols, formatting and quick fixes, over the parser, the checker and
 * the formatter. No protocol types here: the LSP adapter ({@code io.relais.dsl.lsp}) and the
 * REST API translate. Positions are those of {@link io.relais.dsl.source.SourceSpan}: 1-based
 * lines and columns, columns in UTF-16 code units.
 *
 * <p>Each feature is one participant class fed by a {@link io.relais.dsl.language.Snapshot}
 * (the files and what the checker made of them) and a {@link
 * io.relais.dsl.parser.CursorContext} (what the grammar expects at the position). Names and
 * types come from the checker's {@link io.relais.dsl.check.Vocabulary} and the declarations
 * of the files; this package lists none of its own.
 */
package io.relais.dsl.language;
