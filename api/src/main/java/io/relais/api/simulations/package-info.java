/** Simulations over HTTP: start one, follow it, cancel it (docs/simulations.md). */
package io.relais.api.simulations;
