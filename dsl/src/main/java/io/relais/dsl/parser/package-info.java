/**
 * From rule text to the syntax tree: the ANTLR grammar, {@link io.relais.dsl.parser.RulesParser}
 * and the diagnostics for text that does not parse. ANTLR types never leave this package.
 */
package io.relais.dsl.parser;
