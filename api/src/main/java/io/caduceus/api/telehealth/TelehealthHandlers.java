package io.caduceus.api.telehealth;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.telehealth.video.VideoToken;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** The {@code /v1/telehealth} operations: settings, sessions and their transitions, waiting rooms, video tokens. */
public final class TelehealthHandlers {

  private final TelehealthService telehealth;
  private final SessionTransitions transitions;
  private final TelehealthSettingsService settings;

  public TelehealthHandlers(TelehealthService telehealth, SessionTransitions transitions,
                            TelehealthSettingsService settings) {
    this.telehealth = telehealth;
    this.transitions = transitions;
    this.settings = settings;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getTelehealthSettings", rc -> settings.get(Requests.tenant(rc)).map(TelehealthHandlers::settings));
    ops.bind("updateTelehealthSettings", rc -> settings.update(Requests.tenant(rc), ETags.required(rc),
        Requests.body(rc)).map(TelehealthHandlers::settings));
    ops.bind("getTelehealthSession", rc -> telehealth.session(Requests.tenant(rc), session(rc)).map(Reply::ok));
    ops.bind("getWaitingRoom", rc -> telehealth.waitingRoom(Requests.tenant(rc),
        Requests.queryUuid(rc, "practitionerId")).map(Reply::ok));
    ops.bind("checkInTelehealthSession", rc -> transitions.checkIn(Requests.tenant(rc), session(rc),
        Requests.body(rc).getString("location")).map(Reply::ok));
    ops.bind("admitTelehealthSession", rc -> transitions.admit(Requests.tenant(rc), session(rc)).map(Reply::ok));
    ops.bind("endTelehealthSession", rc -> transitions.end(Requests.tenant(rc), session(rc)).map(Reply::ok));
    ops.bind("noShowTelehealthSession", rc -> transitions.noShow(Requests.tenant(rc), session(rc)).map(Reply::ok));
    ops.bind("cancelTelehealthSession", rc -> transitions.cancel(Requests.tenant(rc), session(rc)).map(Reply::ok));
    ops.bind("createVideoToken", this::videoToken);
  }

  private Future<Reply> videoToken(RoutingContext rc) {
    return telehealth.videoToken(Requests.tenant(rc), session(rc)).map(t -> Reply.ok(token(t)));
  }

  private static UUID session(RoutingContext rc) {
    return Requests.pathUuid(rc, "sessionId");
  }

  private static Reply settings(TelehealthSettings s) {
    return Reply.ok(s.toJson(), s.version());
  }

  /** The contract's {@code VideoToken}. */
  static JsonObject token(VideoToken t) {
    return new JsonObject().put("provider", t.provider()).put("token", t.token())
        .put("identity", t.identity()).put("room", t.room()).put("expiresAt", t.expiresAt().toString());
  }
}
