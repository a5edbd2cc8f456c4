/**
 * The built-in schema: every contact field, state part and event type a ruleset can read, each
 * declared once with its type, JSON name, how the store indexes it, what writes it and what it
 * reads of the history. The checker's vocabulary, the engine's accessors and codecs, the store's
 * mapping and the push-down derive from it (docs/engine.md, "The schema").
 */
package io.relais.dsl.schema;
