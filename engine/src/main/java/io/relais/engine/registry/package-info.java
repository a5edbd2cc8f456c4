/**
 * Rulesets by name and version, with atomic activation: a decision in flight holds one
 * immutable version and never sees a mix.
 */
package io.relais.engine.registry;
