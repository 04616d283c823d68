package io.caduceus.api.onboarding;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * {@code POST /v1/invitations/accept}: the one onboarding operation that needs no token. It issues a session, so
 * it takes no {@code Idempotency-Key}: tokens are never stored for a replay.
 */
public final class InvitationHandlers {

  private final InvitationService invitations;

  public InvitationHandlers(InvitationService invitations) {
    this.invitations = invitations;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("acceptInvitation", this::accept);
  }

  private Future<Reply> accept(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    return invitations.accept(body.getString("token"), body.getString("password"), body.getString("displayName"),
            Requests.clientAddress(rc), Requests.requestId(rc), Requests.audit(rc))
        .map(grant -> new Reply(200, Map.of("Cache-Control", "no-store"), grant.toJson()));
  }
}
