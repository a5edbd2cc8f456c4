package io.relais.engine.actions;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.CreateOperation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relais.engine.store.ElasticsearchStore;
import io.relais.engine.store.EventActions;
import io.relais.engine.store.EventLog;
import io.relais.engine.store.PendingEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The actions of an applied decision: each {@code MESSAGE} and {@code ALERT} of it, one document
 * in {@code <prefix>-actions} whose id is the event's document id and the decision's place in the
 * list ({@code <event document id>.<index>}), so the same decision always gives the same ids and
 * writing them again creates nothing; and with each, a pending delivery to every subscription
 * that wants it, due at the action's time or its {@code sendAt} when later. Actions are created by
 * whoever writes the event's document, before it (docs/webhooks.md). A delivery due at once is
 * handed to this instance's deliverer when it has room ({@link DeliveryWorker#handOff}).
 */
public final class Actions implements EventActions {

  /** The decision types that are actions. */
  public static final Set<String> TYPES = Webhooks.TYPES;

  private final ElasticsearchStore store;
  private final Webhooks webhooks;
  private final Deliveries deliveries;
  private final ObjectMapper json;
  // This instance's deliverer, which new deliveries due at once are handed to; none: all are found by searches.
  private volatile DeliveryWorker deliverer;

  public Actions(ElasticsearchStore store, Webhooks webhooks, Deliveries deliveries, ObjectMapper json) {
    this.store = store;
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.json = json;
  }

  /** The index's name. */
  public String index() {
    return store.settings().index("actions");
  }

  /** Hands the deliveries created here and due at once to {@code worker} (null: to none). */
  public void handTo(DeliveryWorker worker) {
    this.deliverer = worker;
  }

  /** The id of the action at place {@code index} of the decision of {@code eventId} for {@code contactId}. */
  public static String id(String contactId, String eventId, int index) {
    return EventLog.documentId(contactId, eventId) + "." + index;
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<BulkOperation> operations(String contactId, PendingEvent event) {
    Object listed = event.decision().map().get("decisions");
    if (!(listed instanceof List<?> decisions)) {
      return List.of();
    }
    List<BulkOperation> operations = new ArrayList<>();
    for (int i = 0; i < decisions.size(); i++) {
      if (decisions.get(i) instanceof Map<?, ?> decision && TYPES.contains(decision.get("type"))) {
        add(operations, contactId, event, i, (Map<String, Object>) decision);
      }
    }
    return operations;
  }

  private void add(List<BulkOperation> operations, String contactId, PendingEvent event, int index,
      Map<String, Object> decision) {
    String id = id(contactId, event.eventId(), index);
    String type = (String) decision.get("type");
    String channel = decision.get("channel") instanceof String c ? c : "email";
    Instant createdAt = event.recordedAt();
    Instant dueAt = sendAt(decision).filter(createdAt::isBefore).orElse(createdAt);
    String body = body(id, type, createdAt, contactId, event, decision);
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("actionId", id);
    document.put("type", type);
    document.put("channel", channel);
    document.put("contactId", contactId);
    document.put("eventId", event.eventId());
    document.put("ruleset", event.ruleset());
    document.put("version", event.version());
    document.put("createdAt", createdAt.toString());
    document.put("dueAt", dueAt.toString());
    document.put("body", body);
    operations.add(BulkOperation.of(b -> b.create(c -> c.index(index()).id(id).document(document))));
    DeliveryWorker to = deliverer;
    for (Webhook webhook : webhooks.subscriptions()) {
      if (webhook.wants(type, channel)) {
        String deliveryId = Deliveries.id(id, webhook.name());
        Map<String, Object> delivery = deliveries.document(id, webhook.name(), contactId, type, createdAt, dueAt, body);
        Map<String, Object> claimed = to == null ? null : to.handOff(deliveryId, webhook.name(), dueAt, delivery);
        operations.add(deliveries.create(deliveryId, claimed == null ? delivery : claimed));
      }
    }
  }

  @Override
  public void written(List<BulkOperation> operations, List<BulkResponseItem> items) {
    DeliveryWorker to = deliverer;
    if (to == null) {
      return;
    }
    for (int i = 0; i < operations.size() && i < items.size(); i++) {
      CreateOperation<?> delivery = delivery(operations.get(i));
      if (delivery != null) {
        BulkResponseItem item = items.get(i);
        boolean created = item.error() == null && item.seqNo() != null && item.primaryTerm() != null;
        to.handedOff(delivery.id(), delivery.document(), created, created ? item.seqNo() : -1,
            created ? item.primaryTerm() : -1);
      }
    }
  }

  @Override
  public void notWritten(List<BulkOperation> operations) {
    DeliveryWorker to = deliverer;
    if (to != null) {
      operations.stream().map(this::delivery).filter(java.util.Objects::nonNull)
          .forEach(d -> to.handedOff(d.id(), d.document(), false, -1, -1));
    }
  }

  // The operation's creation of a delivery, or null (an action's).
  private CreateOperation<?> delivery(BulkOperation operation) {
    return operation.isCreate() && deliveries.index().equals(operation.create().index()) ? operation.create() : null;
  }

  // The request body every delivery of the action sends, written once (its signature covers these bytes).
  private String body(String id, String type, Instant createdAt, String contactId, PendingEvent event,
      Map<String, Object> decision) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("contactId", contactId);
    data.put("ruleset", event.ruleset());
    data.put("version", event.version());
    data.put("decision", decision);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", id);
    body.put("type", type);
    body.put("timestamp", createdAt.toString());
    body.put("data", data);
    try {
      return json.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a decision is plain JSON values", e);
    }
  }

  private static java.util.Optional<Instant> sendAt(Map<String, Object> decision) {
    if (decision.get("sendAt") instanceof String text) {
      try {
        return java.util.Optional.of(java.time.OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException e) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }
}
