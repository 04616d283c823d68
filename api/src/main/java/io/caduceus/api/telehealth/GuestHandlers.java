package io.caduceus.api.telehealth;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/**
 * A virtual visit's guests: invited, listed and revoked by the clinician side with a token, and the public
 * {@code POST /v1/telehealth/guest-passes} where an external guest exchanges a join code or key for a video token.
 * Neither answer that carries a code, key or token is stored for a replay: they take no {@code Idempotency-Key}.
 */
public final class GuestHandlers {

  private final GuestService guests;
  private final GuestPassService passes;

  public GuestHandlers(GuestService guests, GuestPassService passes) {
    this.guests = guests;
    this.passes = passes;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("inviteTelehealthGuest", this::invite);
    ops.bind("listTelehealthGuests", rc -> guests.list(Requests.tenant(rc), session(rc)).map(Reply::items));
    ops.bind("revokeTelehealthGuest", rc -> guests.revoke(Requests.tenant(rc), session(rc),
        Requests.pathUuid(rc, "guestId")).map(v -> Reply.noContent()));
    ops.bind("exchangeGuestPass", this::exchange);
  }

  private Future<Reply> invite(RoutingContext rc) {
    UUID session = session(rc);
    return guests.invite(Requests.tenant(rc), session, Requests.body(rc)).map(invited -> {
      JsonObject body = invited.guest().copy();
      if (invited.code() != null) {
        body.put("code", invited.code());
      }
      return Reply.created("/v1/telehealth/sessions/" + session + "/guests/" + body.getString("id"), body);
    });
  }

  private Future<Reply> exchange(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    return passes.exchange(body.getString("code"), body.getString("key"), Requests.clientAddress(rc),
            Requests.requestId(rc), Requests.audit(rc))
        .map(pass -> {
          JsonObject out = new JsonObject().put("guestId", pass.guest().id().toString())
              .put("sessionId", pass.guest().sessionId().toString()).put("kind", pass.guest().kind())
              .put("displayName", pass.guest().displayName()).put("keyExpiresAt", pass.keyExpiresAt().toString())
              .put("video", TelehealthHandlers.token(pass.token()));
          if (pass.key() != null) {
            out.put("key", pass.key());
          }
          return Reply.ok(out);
        });
  }

  private static UUID session(RoutingContext rc) {
    return Requests.pathUuid(rc, "sessionId");
  }
}
