/**
 * The step library, one class per domain concept (rulesets, time, contacts, events, decisions,
 * contact state), the parameter types that turn QA's tables into domain objects, and the
 * scenario's shared world.
 */
package io.relais.features.steps;
