/** The Elasticsearch side of Relais: connection, indices, health. */
package io.relais.engine.store;
