package io.caduceus.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;

import java.util.function.Consumer;

/**
 * Tells this node when the control plane changed something every node keeps in memory (flags, modules,
 * configuration, roles). A writer calls {@code pg_notify(channel, payload)} in the transaction that makes the
 * change, so the notice goes out when it commits. Notices are not durable: a node whose listening connection
 * dropped misses those sent meanwhile, so each subscriber is also told to re-read everything whenever its channel
 * is (re)subscribed, at start and after every reconnect. The truth stays in PostgreSQL; this only says when to look.
 *
 * <p>One connection per node, reopened a second after it drops. Handlers run on the context that called
 * {@link #start}.
 */
public final class ControlPlaneChanges {

  private static final long RECONNECT_MS = 1_000;

  private final PgSubscriber subscriber;

  public ControlPlaneChanges(Vertx vertx, DatabaseEndpoint appEndpoint) {
    this.subscriber = PgSubscriber.subscriber(vertx, appEndpoint.connectOptions())
        .reconnectPolicy(attempts -> RECONNECT_MS);
  }

  /**
   * Subscribes to {@code channel}: {@code change} gets each notice's payload, {@code resync} runs whenever the
   * channel is (re)subscribed, when notices may have been missed. Call before {@link #start}.
   */
  public ControlPlaneChanges on(String channel, Consumer<String> change, Runnable resync) {
    subscriber.channel(channel).handler(change::accept).subscribeHandler(v -> resync.run());
    return this;
  }

  /** Connects and listens on every subscribed channel. */
  public Future<Void> start() {
    return subscriber.connect();
  }

  /** Stops listening. */
  public Future<Void> stop() {
    return subscriber.close();
  }
}
