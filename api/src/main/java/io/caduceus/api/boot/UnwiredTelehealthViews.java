package io.caduceus.api.boot;

import io.caduceus.api.error.Unavailable;
import io.caduceus.api.live.TelehealthViews;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** Until the telehealth service is merged in: every view answers 503. */
final class UnwiredTelehealthViews implements TelehealthViews {

  @Override
  public Future<JsonObject> session(TenantContext ctx, UUID sessionId) {
    return Future.failedFuture(new Unavailable("telehealth is not wired yet"));
  }

  @Override
  public Future<JsonObject> waitingRoom(TenantContext ctx, UUID practitionerId) {
    return Future.failedFuture(new Unavailable("telehealth is not wired yet"));
  }

  @Override
  public Future<ChatSeat> chatSeat(TenantContext ctx, UUID sessionId) {
    return Future.failedFuture(new Unavailable("telehealth is not wired yet"));
  }
}
