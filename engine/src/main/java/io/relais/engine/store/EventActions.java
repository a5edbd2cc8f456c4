package io.relais.engine.store;

import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.util.List;

/**
 * The actions an applied event's decision asks for (its {@code MESSAGE}s and {@code ALERT}s), as
 * store operations that create them: {@code create} operations with ids derived from the contact,
 * the event and the decision's place, so writing them again creates nothing (docs/webhooks.md).
 * Every writer of an event document sends these first and writes the document only once they
 * are acknowledged: an event document that exists has its actions, and tells these the store's
 * answers ({@link #written}, {@link #notWritten}): a delivery created claimed by this instance's
 * deliverer goes to it then.
 */
@FunctionalInterface
public interface EventActions {

  /** No actions: a store without webhooks. */
  EventActions NONE = (contactId, event) -> List.of();

  /** The create operations of the actions of {@code event}'s decision; empty when it asks for none. */
  List<BulkOperation> operations(String contactId, PendingEvent event);

  /** The store's answers, in order, to {@code operations} given by {@link #operations}. */
  default void written(List<BulkOperation> operations, List<BulkResponseItem> items) {}

  /** {@code operations} given by {@link #operations} were not written: the request failed. */
  default void notWritten(List<BulkOperation> operations) {}
}
