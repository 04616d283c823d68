package io.caduceus.api.account;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.UUID;

/**
 * The account operations a mobile app needs: password reset and email verification (public, answered the same
 * whoever asks), the caller's own sessions, and a tenant admin ending a member's sessions. None stores a reply for
 * an {@code Idempotency-Key}: each is safe to repeat (a second ask mails a newer link and voids the first; ending
 * what has ended changes nothing).
 */
public final class AccountHandlers {

  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  private final PasswordResets resets;
  private final EmailVerifications verifications;
  private final UserSessions sessions;

  public AccountHandlers(PasswordResets resets, EmailVerifications verifications, UserSessions sessions) {
    this.resets = resets;
    this.verifications = verifications;
    this.sessions = sessions;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("requestPasswordReset", rc -> resets.request(email(rc), Requests.clientAddress(rc))
        .map(v -> emailed("If an account has this email, a link to choose a new password is on its way. It works"
            + " once, for 30 minutes.")));
    ops.bind("confirmPasswordReset", rc -> resets.confirm(Requests.body(rc).getString("token"),
        Requests.body(rc).getString("newPassword")).map(v -> Reply.noContent()));
    ops.bind("requestEmailVerification", rc -> verifications.request(email(rc), Requests.clientAddress(rc))
        .map(v -> emailed("If an account with an unconfirmed address has this email, a link to confirm it is on its"
            + " way. It works once, for 24 hours.")));
    ops.bind("confirmEmailVerification", rc -> verifications.confirm(Requests.body(rc).getString("token"))
        .map(v -> Reply.noContent()));
    ops.bind("listSessions", this::list);
    ops.bind("endSession", rc -> sessions.endOwn(Requests.tenant(rc).userId(), Requests.pathUuid(rc, "sessionId"))
        .map(v -> Reply.noContent()));
    ops.bind("endOtherSessions", rc -> sessions.endAll(Requests.tenant(rc).userId(), Requests.sessionId(rc),
        "ended by user").map(n -> Reply.ok(new JsonObject().put("ended", n))));
    ops.bind("endMemberSessions", rc -> sessions.endMember(Requests.tenant(rc), Requests.pathUuid(rc, "userId"))
        .map(v -> Reply.noContent()));
  }

  private Future<Reply> list(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    UUID current = Requests.sessionId(rc);
    return sessions.list(ctx.userId()).map(found -> {
      JsonArray items = new JsonArray();
      found.forEach(s -> items.add(s.toJson(current)));
      return new Reply(200, NO_STORE, new JsonObject().put("items", items));
    });
  }

  private static String email(RoutingContext rc) {
    return Requests.body(rc).getString("email").trim();
  }

  private static Reply emailed(String detail) {
    return Reply.accepted(new JsonObject().put("detail", detail));
  }
}
