package io.caduceus.api.auth.mfa;

import io.caduceus.api.auth.Device;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * The MFA operations: the caller's own authenticator ({@code /v1/auth/mfa...}), a login's second step, step-up, and a
 * tenant admin's reset and policy. Like the other operations that issue tokens, none takes an Idempotency-Key.
 */
public final class MfaHandlers {

  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  private final MfaService mfa;

  public MfaHandlers(MfaService mfa) {
    this.mfa = mfa;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getMfaStatus", rc -> mfa.status(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("beginTotpEnrolment", rc -> mfa.beginEnrolment(Requests.tenant(rc))
        .map(body -> new Reply(200, NO_STORE, body)));
    ops.bind("confirmTotpEnrolment", rc -> mfa.confirmEnrolment(Requests.tenant(rc), Requests.sessionId(rc),
        Requests.body(rc).getString("code"), Requests.clientAddress(rc)).map(body -> new Reply(200, NO_STORE, body)));
    ops.bind("disableTotp", rc -> mfa.disable(Requests.tenant(rc), Requests.body(rc), Requests.clientAddress(rc))
        .map(v -> Reply.noContent()));
    ops.bind("verifyMfaLogin", this::verifyLogin);
    ops.bind("stepUp", rc -> mfa.stepUp(Requests.tenant(rc), Requests.sessionId(rc), Requests.body(rc),
        Requests.clientAddress(rc)).map(grant -> new Reply(200, NO_STORE, grant.toJson())));
    ops.bind("resetMemberMfa", rc -> mfa.reset(Requests.tenant(rc), Requests.pathUuid(rc, "userId"))
        .map(v -> Reply.noContent()));
    ops.bind("getMfaPolicy", rc -> mfa.policy(Requests.tenant(rc)).map(p -> Reply.ok(p.toJson())));
    ops.bind("putMfaPolicy", rc -> mfa.setPolicy(Requests.tenant(rc), Requests.body(rc))
        .map(p -> Reply.ok(p.toJson())));
  }

  private Future<Reply> verifyLogin(RoutingContext rc) {
    return mfa.verifyLogin(Requests.body(rc), Requests.clientAddress(rc), Device.of(rc), Requests.requestId(rc), Requests.audit(rc))
        .map(grant -> new Reply(200, NO_STORE, grant.toJson()));
  }
}
