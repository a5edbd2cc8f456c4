/**
 * Rulesets by name and version on a store every instance shares, with atomic activation: a
 * decision in flight holds one immutable compiled version and never sees a mix. Also the
 * rules folder, loaded at start and reloaded on change.
 */
package io.relais.engine.registry;
