/** The store as the service shows it: health, demo data. */
package io.relais.api.store;
