package io.relais.engine.store;

import co.elastic.clients.elasticsearch.core.mget.MultiGetOperation;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import java.util.List;
import java.util.function.Consumer;
import java.util.Map;

/**
 * Grouped reads: the first read of concurrent events (each its contact and its event document)
 * leaves as one real-time {@code _mget}, sent by one reader thread, as {@link GroupCommit} does
 * for writes. The node pays its per-request cost (HTTP, task, thread hand-offs) once per batch
 * instead of once per event; a real-time get reads the latest acknowledged write whatever
 * request it travels in, so grouping changes nothing of what each caller reads (docs/store.md).
 */
@SuppressWarnings("rawtypes")
public final class GroupRead extends Grouped<MultiGetOperation, MultiGetResponseItem<Map>> implements StoreReads {

  /**
   * Starts the reader thread.
   *
   * @param sender sends one batch as one request: {@link StoreReads#direct} in the service
   */
  public GroupRead(StoreReads sender, GroupCommitSettings settings) {
    this(sender, settings, refused -> { });
  }

  /** The same, telling {@code onRefused} of every caller refused by a full or closed queue (for the metrics). */
  public GroupRead(StoreReads sender, GroupCommitSettings settings, Consumer<StoreUnavailableException> onRefused) {
    this("relais-group-read", sender, settings, onRefused);
  }

  /**
   * The same, with its reader thread named {@code threadName}: a service with more than one
   * grouped reader tells them apart in thread dumps and per-thread CPU.
   */
  public GroupRead(String threadName, StoreReads sender, GroupCommitSettings settings,
      Consumer<StoreUnavailableException> onRefused) {
    super("reads", threadName, sender::read, settings, onRefused);
  }

  @Override
  public List<MultiGetResponseItem<Map>> read(List<MultiGetOperation> documents) {
    return submit(documents);
  }
}
