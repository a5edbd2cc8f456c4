/** The ruleset endpoints: validate, store, list, read, activate. */
package io.relais.api.rulesets;
