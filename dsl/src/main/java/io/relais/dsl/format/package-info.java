/**
 * The canonical layout of rule files. The formatter prints the syntax tree, so what it writes
 * parses back to the same tree; comments are placed by their line numbers.
 */
package io.relais.dsl.format;
