package io.caduceus.notifications.engage;

import io.caduceus.notifications.outbox.OutboxRelay;
import io.caduceus.routing.DatabaseOutage;
import io.caduceus.routing.RareWarning;
import io.caduceus.routing.RequestStage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engagement engine's loops on one node: the intake turns notice events of the outbox into messages, the
 * scheduler creates reminders and campaign messages when they fall due, and the dispatcher delivers. Each loop
 * runs again at once while it finds work and otherwise waits its tick; a loop's runs never overlap, and every
 * step is non-blocking (the provider SDKs run on workers inside the senders). Stopping lets each loop finish the
 * cycle under way (a dispatch records what it sent) and starts no other.
 */
public final class EngagementVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(EngagementVerticle.class);
  /** An outage fails every cycle of every loop until it ends: said once in a while, not every tick. */
  private static final RareWarning OUTAGE = new RareWarning(LOG, 10_000);

  private final OutboxRelay intake;
  private final Supplier<Future<Integer>> scheduler;
  private final Dispatcher dispatcher;
  private final long tickMs;
  private final Map<String, Future<Integer>> running = new HashMap<>();
  private boolean stopped;

  public EngagementVerticle(OutboxRelay intake, Supplier<Future<Integer>> scheduler, Dispatcher dispatcher,
                            long tickMs) {
    this.intake = intake;
    this.scheduler = scheduler;
    this.dispatcher = dispatcher;
    this.tickMs = tickMs;
  }

  @Override
  public Future<?> start() {
    loop("intake", intake::runOnce);
    loop("scheduler", scheduler);
    loop("dispatcher", dispatcher::runOnce);
    return Future.succeededFuture();
  }

  private void loop(String name, Supplier<Future<Integer>> step) {
    if (stopped) {
      return;
    }
    Future<Integer> run;
    try {
      run = RequestStage.start("engagement " + name).of(RequestStage.BACKGROUND, null).until(step.get());
    } catch (RuntimeException e) {
      run = Future.failedFuture(e);
    }
    running.put(name, run);
    run.onComplete(done -> {
      if (done.failed() && DatabaseOutage.explains(done.cause())) {
        OUTAGE.warn("engagement cycles wait for the database ({} failed: {})", name,
            done.cause().getClass().getSimpleName());
      } else if (done.failed()) {
        LOG.warn("engagement {} cycle failed: {}", name, done.cause().getClass().getSimpleName());
      }
      long delay = done.succeeded() && done.result() > 0 ? 0 : tickMs;
      if (!stopped) {
        vertx.setTimer(Math.max(1, delay), id -> loop(name, step));
      }
    });
  }

  /** Starts no further cycle and completes when the cycles under way have ended, however they ended. */
  @Override
  public Future<?> stop() {
    stopped = true;
    return Future.join(new ArrayList<>(running.values())).transform(ended -> Future.succeededFuture());
  }
}
