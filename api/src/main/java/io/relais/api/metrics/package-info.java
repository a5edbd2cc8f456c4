/** Micrometer meters of decisions and events, exposed at {@code /actuator/prometheus}. */
package io.relais.api.metrics;
