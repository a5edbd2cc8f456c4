/** The Relais REST service: web edge, configuration, health. Domain code lives in the engine. */
package io.relais.api;
