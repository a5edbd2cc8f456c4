/**
 * What the end-to-end run adds to the service, on the test class path only: a clock the
 * scenarios set. Nothing here exists in the service's own jar, so no client can reach it.
 */
package io.relais.features.e2e;
