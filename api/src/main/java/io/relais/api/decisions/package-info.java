/** Decisions without side effects: {@code POST /api/v1/decisions}. */
package io.relais.api.decisions;
