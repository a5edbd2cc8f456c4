/** Batch runs over REST: start one, follow its progress. */
package io.relais.api.batch;
