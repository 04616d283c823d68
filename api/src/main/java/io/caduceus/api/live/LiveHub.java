package io.caduceus.api.live;

import io.caduceus.routing.TenantId;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * This node's authenticated live sockets, by tenant. A change is handed to each socket of its tenant on that
 * socket's own event loop, which reads again under the socket's context and pushes what the change concerns.
 */
public final class LiveHub {

  private final Map<TenantId, Set<LiveSocket>> sockets = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  /** Pushes of changes running at once on the node (each a revocation check, a read and an audit record). */
  final FanOutLimit fanOut = new FanOutLimit(32);

  void join(LiveSocket socket) {
    if (sockets.computeIfAbsent(socket.tenant().tenantId(), t -> ConcurrentHashMap.newKeySet()).add(socket)) {
      count.incrementAndGet();
    }
  }

  void leave(LiveSocket socket) {
    if (socket.tenant() == null) {
      return;
    }
    Set<LiveSocket> of = sockets.get(socket.tenant().tenantId());
    if (of != null && of.remove(socket)) {
      count.decrementAndGet();
    }
  }

  /** Hands a committed change to the sockets of its tenant. */
  public void changed(LiveChange change) {
    Set<LiveSocket> of = sockets.get(new TenantId(change.tenantId()));
    if (of != null) {
      of.forEach(socket -> socket.context().runOnContext(v -> socket.changed(change)));
    }
  }

  /** Pushes the current state of every subscription on this node: changes may have been missed. */
  public void refreshAll() {
    sockets.values().forEach(of -> of.forEach(socket -> socket.context().runOnContext(v -> socket.refreshAll())));
  }

  /** Closes every socket, telling clients to reconnect elsewhere (the node is stopping). */
  public void closeAll() {
    sockets.values().forEach(of -> of.forEach(socket -> socket.context().runOnContext(v ->
        socket.close(null, LiveClose.GOING_AWAY, "node stopping"))));
  }

  /** The authenticated sockets on this node. */
  public int size() {
    return count.get();
  }
}
