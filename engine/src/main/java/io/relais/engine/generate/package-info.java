/** Seeded, reproducible contacts and events for tests and benchmarks. */
package io.relais.engine.generate;
