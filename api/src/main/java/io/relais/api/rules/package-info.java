/** Rulesets as the service loads them at start from {@code relais.rules-dir}. */
package io.relais.api.rules;
