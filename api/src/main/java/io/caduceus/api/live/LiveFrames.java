package io.caduceus.api.live;

import io.caduceus.api.error.DomainException;
import io.caduceus.routing.DatabaseOutage;
import io.caduceus.routing.RareWarning;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.quota.Bulkheads;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The frames a live socket sends. An {@code error} frame carries what a problem document would: its {@code code}
 * is the problem type ({@code urn:caduceus:problem:not-found}), {@code status} the HTTP status REST would answer,
 * {@code detail} a sentence without PHI, and {@code ref} the id of the client frame it answers, if any.
 */
final class LiveFrames {

  static final String PROBLEM = "urn:caduceus:problem:";
  private static final RareWarning FAILURES = new RareWarning(LoggerFactory.getLogger(LiveFrames.class), 10_000);

  private LiveFrames() {
  }

  static JsonObject error(String code, int status, String detail, String ref) {
    JsonObject frame = new JsonObject().put("type", "error").put("code", PROBLEM + code).put("status", status)
        .put("detail", detail);
    return ref == null ? frame : frame.put("ref", ref);
  }

  /** The error frame of a failure, told as REST would tell it; an unexpected one is logged by class only. */
  static JsonObject error(Throwable failure, String ref) {
    if (failure instanceof DomainException domain) {
      return error(domain.type(), domain.status(), domain.getMessage(), ref);
    }
    if (failure instanceof TenantDb.WritesPaused) {
      return error("writes-paused", 503, "this tenant's data is moving; retry in a few seconds", ref);
    }
    if (failure instanceof Bulkheads.Full || failure instanceof TenantDb.PlaceUnavailable
        || DatabaseOutage.explains(failure)) {
      return error("unavailable", 503, "a database or service this needs is unavailable; retry shortly", ref);
    }
    FAILURES.warn("a live frame failed: {}", failure == null ? "unknown" : failure.getClass().getName());
    return error("internal", 500, "the server failed to answer", ref);
  }

  static JsonObject ready(LiveAuth.Grant grant, boolean renewed, LiveSettings settings) {
    return new JsonObject().put("type", "ready").put("userId", grant.ctx().userId().toString())
        .put("tenantId", grant.ctx().tenantId().toString())
        .put("expiresAt", Instant.ofEpochMilli(grant.expiresAtMillis()).toString())
        .put("renewed", renewed)
        .put("limits", new JsonObject().put("frameBytes", settings.maxFrameChars())
            .put("subscriptions", settings.maxSubscriptions()).put("sendsPerSecond", settings.sendsPerSecond()));
  }
}
