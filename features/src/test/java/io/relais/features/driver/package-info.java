/**
 * The one interface steps talk to ({@link io.relais.features.driver.Relais}) and its two
 * implementations: the engine called directly, and the service over REST.
 */
package io.relais.features.driver;
