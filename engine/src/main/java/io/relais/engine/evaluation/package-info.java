/**
 * Evaluating a compiled ruleset for one contact: six phases on Drools with snapshot
 * semantics, actions applied between phases in rule order, decisions and a trace out.
 */
package io.relais.engine.evaluation;
