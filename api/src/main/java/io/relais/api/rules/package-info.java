/** Rulesets as the service loads them from {@code relais.rules-dir}, at start and on change. */
package io.relais.api.rules;
