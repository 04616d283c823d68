package io.caduceus.api.auth;

import io.caduceus.routing.catalog.Membership;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
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
    ops.bind("login", this::login);
    ops.bind("refreshSession", this::refresh);
    ops.bind("logout", this::logout);
    ops.bind("switchTenant", this::switchTenant);
    ops.bind("getCurrentUser", this::me);
    ops.bind("getJwks", rc -> Future.succeededFuture(new Reply(200, Map.of("Cache-Control", "public, max-age=300"),
        keys.jwks())));
  }

  private Future<Reply> login(RoutingContext rc) {
    JsonObject body = Requests.body(rc);
    Optional<TenantId> tenant = Optional.ofNullable(body.getString("tenantId")).map(TenantId::parse);
    return auth.login(body.getString("email"), body.getString("password"), tenant, Requests.clientAddress(rc),
            Device.of(rc))
        .map(result -> new Reply(200, NO_STORE, result.toJson()));
  }

  private Future<Reply> refresh(RoutingContext rc) {
    return auth.refresh(Requests.body(rc).getString("refreshToken")).map(AuthHandlers::tokens);
  }

  private Future<Reply> logout(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return idempotency.inControlPlane(rc, Idempotency.principal(ctx),
        () -> auth.logout(Requests.sessionId(rc)).map(v -> Reply.noContent()));
  }

  private Future<Reply> switchTenant(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    TenantId target = TenantId.parse(Requests.body(rc).getString("tenantId"));
    return auth.switchTenant(ctx.userId(), Requests.sessionId(rc), target, Device.of(rc)).map(AuthHandlers::tokens);
  }

  private Future<Reply> me(RoutingContext rc) {
    TenantContext ctx = Requests.tenant(rc);
    return auth.profile(ctx.userId()).map(profile -> {
      JsonArray memberships = new JsonArray();
      profile.memberships().stream().filter(Membership::usable).forEach(m -> memberships.add(m.toJson()));
      JsonObject active = profile.memberships().stream()
          .filter(m -> m.tenantId().equals(ctx.tenantId()) && m.usable()).findFirst().map(Membership::toJson)
          .orElseThrow(() -> Unauthorized.invalidToken("this session's membership has ended; log in again"));
      return Reply.ok(new JsonObject()
          .put("userId", ctx.userId().toString())
          .put("email", profile.user().email())
          .put("displayName", profile.user().displayName())
          .put("emailVerified", profile.user().emailVerified())
          .put("activeTenant", active)
          .put("permissions", new JsonArray(ctx.permissions().stream().sorted().toList()))
          .put("memberships", memberships));
    });
  }

  private static Reply tokens(SessionGrant grant) {
    return new Reply(200, NO_STORE, grant.toJson());
  }
}
