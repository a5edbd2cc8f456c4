/**
 * Actions out: the {@code MESSAGE} and {@code ALERT} decisions that ask someone to act, created
 * once when their decision is applied, and their delivery to webhook subscriptions as Standard
 * Webhooks 1.0 requests, durable in the store and retried with backoff (docs/webhooks.md).
 */
package io.relais.engine.actions;
