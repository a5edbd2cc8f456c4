/** Problems found in rule text, with stable codes and source positions. */
package io.relais.dsl.diagnostic;
