/** Campaigns over time: the scheduler that decides campaign steps when they come due. */
package io.relais.engine.campaigns;
