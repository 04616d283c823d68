package io.caduceus.api.boot;

import io.caduceus.api.exchange.ExchangeEnvelope;
import io.caduceus.notifications.outbox.OutboxRelay;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.DatabaseOutage;
import io.caduceus.routing.RareWarning;
import io.caduceus.routing.RequestStage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.pubsub.PgSubscriber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries cross-tenant exchange messages from the senders' outboxes to the receivers. It listens on each region's
 * exchange channel, which PostgreSQL notifies when a sending transaction commits, and runs the relay at once; it
 * reruns while there is work, and also polls every {@code POLL_MS} in case a notification was missed (a dropped
 * listener connection, a message waiting out its retry backoff). Runs never overlap; several nodes may each run
 * one, since claims skip what another relay holds. While a database is down each run fails and the next is tried a
 * second later; stopping lets the run under way finish and starts no other.
 */
public final class ExchangeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ExchangeVerticle.class);
  private static final long POLL_MS = 1_000;
  private static final long FAILED_MS = 1_000;
  private static final RareWarning OUTAGE = new RareWarning(LOG, 10_000);

  private final OutboxRelay relay;
  private final Map<String, DatabaseEndpoint> regions;
  private final List<PgSubscriber> listeners = new ArrayList<>();
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long timer = -1;
  private Future<Integer> current = Future.succeededFuture(0);

  ExchangeVerticle(OutboxRelay relay, Map<String, DatabaseEndpoint> regions) {
    this.relay = relay;
    this.regions = regions;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> connected = new ArrayList<>();
    regions.forEach((region, endpoint) -> {
      PgSubscriber listener = PgSubscriber.subscriber(vertx, endpoint.connectOptions())
          .reconnectPolicy(attempts -> 1_000L);
      listener.channel(ExchangeEnvelope.CHANNEL).handler(payload -> wake());
      listeners.add(listener);
      connected.add(listener.connect());
    });
    return Future.all(connected).onSuccess(v -> wake());
  }

  private void wake() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    vertx.cancelTimer(timer);
    running = true;
    again = false;
    try {
      current = RequestStage.start("exchange relay").of(RequestStage.BACKGROUND, null).until(relay.runOnce());
    } catch (RuntimeException e) {
      current = Future.failedFuture(e);
    }
    current
        .onComplete(done -> {
          running = false;
          if (done.failed()) {
            if (DatabaseOutage.explains(done.cause())) {
              OUTAGE.warn("exchange delivery waits for the database ({})", done.cause().getClass().getSimpleName());
            } else {
              LOG.warn("exchange delivery failed: {}", done.cause().getClass().getSimpleName());
            }
            schedule(FAILED_MS);
          } else if (done.result() > 0 || again) {
            wake();
          } else {
            schedule(POLL_MS);
          }
        });
  }

  private void schedule(long delayMs) {
    if (!stopped) {
      timer = vertx.setTimer(delayMs, id -> wake());
    }
  }

  /** Starts no further run and completes when the run under way has ended, however it ended. */
  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    listeners.forEach(PgSubscriber::close);
    return current.transform(ended -> Future.succeededFuture());
  }
}
