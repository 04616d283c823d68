package io.caduceus.api.auth;

import io.caduceus.routing.catalog.Membership;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code /v1/auth} operations and the JWKS. The operations that issue tokens take no {@code Idempotency-Key}
 * (the contract declares none): credentials are never stored for a replay, and a retried refresh meets reuse
 * detection like any other second use of its token.
 */
public final class AuthHandlers {

  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  private final AuthService auth;
  private final Idempotency idempotency;
  private final SigningKeys keys;

  public AuthHandlers(AuthService auth, Idempotency idempotency, SigningKeys keys) {
    this.auth = auth;
    this.idempotency = idempotency;
    this.keys = keys;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("login", this::login);
    ops.bindRaw("refreshSession", this::refresh);
    ops.bindRaw("logout", this::logout);
    ops.bindRaw("switchTenant", this::switchTenant);
    ops.bindRaw("getCurrentUser", this::me);
    ops.bindRaw("getJwks", rc -> Replies.send(rc, new Reply(200, Map.of("Cache-Control", "public, max-age=300"),
        keys.jwks())));
  }

  private void login(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    Optional<TenantId> tenant = Optional.ofNullable(body.getString("tenantId")).map(TenantId::parse);
    auth.login(body.getString("email"), body.getString("password"), tenant, Requests.clientAddress(rc))
        .map(AuthHandlers::tokens)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void refresh(RoutingContext rc) {
    String token = Requests.body(rc).getString("refreshToken");
    auth.refresh(token).map(AuthHandlers::tokens)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void logout(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    idempotency.inControlPlane(rc, Idempotency.principal(ctx),
            () -> auth.logout(Requests.sessionId(rc)).map(v -> Reply.noContent()))
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void switchTenant(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    TenantId target = TenantId.parse(Requests.body(rc).getString("tenantId"));
    auth.switchTenant(ctx.userId(), Requests.sessionId(rc), target).map(AuthHandlers::tokens)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private void me(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    auth.profile(ctx.userId())
        .map(profile -> {
          JsonArray memberships = new JsonArray();
          profile.memberships().stream().filter(Membership::usable).forEach(m -> memberships.add(m.toJson()));
          JsonObject active = profile.memberships().stream()
              .filter(m -> m.tenantId().equals(ctx.tenantId()) && m.usable()).findFirst().map(Membership::toJson)
              .orElseThrow(() -> Unauthorized.invalidToken("this session's membership has ended; log in again"));
          return new JsonObject()
              .put("userId", ctx.userId().toString())
              .put("email", profile.user().email())
              .put("displayName", profile.user().displayName())
              .put("activeTenant", active)
              .put("permissions", new JsonArray(ctx.permissions().stream().sorted().toList()))
              .put("memberships", memberships);
        })
        .onSuccess(json -> Replies.send(rc, Reply.ok(json)))
        .onFailure(rc::fail);
  }

  private static Reply tokens(SessionGrant grant) {
    return new Reply(200, NO_STORE, grant.toJson());
  }
}
