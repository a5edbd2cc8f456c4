/** The {@code ./relais} command line: check and format rule files. */
package io.relais.dsl.cli;
