package io.relais.engine.store;

import co.elastic.clients.transport.rest5_client.low_level.Node;
import co.elastic.clients.transport.rest5_client.low_level.NodeSelector;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The low-level client's node selection, with one more rule: a write is sent to one node only.
 *
 * <p>The client sends a request whose node failed (no answer, a time-out, a 502/503/504) again
 * to the next node, whatever the request. Right for a read; wrong for a write, whose answer may
 * have been lost after it was applied: sent again, a conditional write (a contact's, a claim, a
 * redemption) finds its own result and is answered 409, a conflict with another writer as far
 * as its caller can tell, and the caller's retry would apply it twice (docs/store.md, "A 409 in
 * doubt"). So while {@link #once} runs on a thread, the requests it sends keep one of the nodes
 * the client chose (in turn, so writes still spread over the living nodes), and a failure comes
 * back to the caller as the unknown fate it is.
 */
final class OneNodeWrites implements NodeSelector {

  private final NodeSelector base;
  private final ThreadLocal<Boolean> writing = new ThreadLocal<>();
  private final AtomicInteger turn = new AtomicInteger();

  /** @param base the selection every request gets first (any node, or no dedicated master) */
  OneNodeWrites(NodeSelector base) {
    this.base = base;
  }

  @Override
  public void select(Iterable<Node> nodes) {
    base.select(nodes);
    if (writing.get() == null) {
      return;
    }
    int count = 0;
    for (Node ignored : nodes) {
      count++;
    }
    if (count <= 1) {
      return;
    }
    int keep = Math.floorMod(turn.getAndIncrement(), count);
    Iterator<Node> it = nodes.iterator();
    for (int i = 0; it.hasNext(); i++) {
      it.next();
      if (i != keep) {
        it.remove();
      }
    }
  }

  /** Runs {@code send} on this thread with each of its requests sent to one node. */
  <T> T once(StoreCall<T> send) throws IOException {
    Boolean outer = writing.get();
    writing.set(Boolean.TRUE);
    try {
      return send.run();
    } finally {
      if (outer == null) {
        writing.remove();
      }
    }
  }

  @Override
  public String toString() {
    return "one node per write, of " + base;
  }
}
