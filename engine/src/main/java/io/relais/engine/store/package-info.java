/**
 * The Elasticsearch side of Relais: connection, indices, health, contacts and their events.
 * Events are recorded exactly once and applied without lost updates by conditional writes on
 * the contact document and an outbox (see docs/store.md); history reads are bounded by what
 * a ruleset can read ({@link io.relais.engine.store.HistoryNeeds}).
 */
package io.relais.engine.store;
