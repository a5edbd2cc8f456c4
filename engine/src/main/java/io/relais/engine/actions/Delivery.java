package io.relais.engine.actions;

import java.time.Instant;
import java.util.Map;

/**
 * One action's delivery to one webhook, as stored: its state ({@code pending}, {@code
 * delivered}, {@code failed}), attempts, the last answer (status and a short escaped excerpt, or
 * the error) and when it is tried next.
 */
public record Delivery(String id, String webhook, String actionId, String contactId, String type, String state,
    int attempts, Integer lastStatus, String lastError, String excerpt, Instant createdAt, Instant dueAt,
    Instant nextAttemptAt, Instant windowStart, Instant lastAttemptAt, Instant deliveredAt) {

  /** Waiting for its next attempt. */
  public static final String PENDING = "pending";
  /** A receiver answered 2xx. */
  public static final String DELIVERED = "delivered";
  /** Every attempt of its window failed, or its webhook was deleted. */
  public static final String FAILED = "failed";

  static Delivery fromDocument(String id, Map<?, ?> d) {
    return new Delivery(id, (String) d.get("webhook"), (String) d.get("actionId"), (String) d.get("contactId"),
        (String) d.get("type"), (String) d.get("state"),
        d.get("attempts") instanceof Number n ? n.intValue() : 0,
        d.get("lastStatus") instanceof Number n ? n.intValue() : null, (String) d.get("lastError"),
        (String) d.get("excerpt"), instant(d.get("createdAt")), instant(d.get("dueAt")),
        instant(d.get("nextAttemptAt")), instant(d.get("windowStart")), instant(d.get("lastAttemptAt")),
        instant(d.get("deliveredAt")));
  }

  private static Instant instant(Object value) {
    return value == null ? null : Instant.parse(String.valueOf(value));
  }
}
