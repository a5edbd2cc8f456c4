/** Audiences, leads and the funnel: questions about many stored contacts at once, answered by the store. */
package io.relais.api.audiences;
