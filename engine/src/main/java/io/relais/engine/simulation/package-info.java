/**
 * Simulations: the stored history of a period replayed with the active version and with a
 * candidate, on copies, and what differs (docs/simulations.md); run on the batch-run protocol.
 */
package io.relais.engine.simulation;
