/** Actions out: webhook subscriptions and their deliveries (role admin, docs/api.md "Webhooks"). */
package io.relais.api.webhooks;
