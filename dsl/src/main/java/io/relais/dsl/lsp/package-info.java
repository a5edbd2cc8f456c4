/**
 * {@code ./relais lsp}: the language service ({@link io.relais.dsl.language}) spoken as the
 * Language Server Protocol 3.17 over standard input and output, with Eclipse LSP4J. A thin
 * adapter: it keeps the open documents and the rule folders they belong to, and converts
 * positions (LSP counts lines and UTF-16 columns from 0, the language from 1) in one place,
 * {@link io.relais.dsl.lsp.Convert}. docs/editors.md says how editors start it.
 */
package io.relais.dsl.lsp;
