package io.caduceus.api.boot;

import io.caduceus.api.live.LiveListener;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Runs the node's {@link LiveListener} on an event loop of its own. */
final class LiveVerticle extends VerticleBase {

  private final LiveListener listener;

  LiveVerticle(LiveListener listener) {
    this.listener = listener;
  }

  @Override
  public Future<?> start() {
    return listener.start();
  }

  @Override
  public Future<?> stop() {
    return listener.stop();
  }
}
