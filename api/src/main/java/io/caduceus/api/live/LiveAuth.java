package io.caduceus.api.live;

import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.http.TenantResolver;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.TokenRefused;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * Checks the access token a live socket presents, as the REST API checks a bearer token: the node's verifier
 * (signature, issuer, audience, expiry) and then the tenant resolver's rules (the session not ended, the tenant
 * active, its region served here). The same check runs again whenever the socket pushes a change and on a timer.
 */
public final class LiveAuth {

  /** A verified token: the socket's context, the claims to check again later, and when the token expires. */
  public record Grant(TenantContext ctx, JsonObject principal, long expiresAtMillis) {
  }

  private final JWTAuth verifier;
  private final TenantResolver resolver;

  public LiveAuth(JWTAuth verifier, TenantResolver resolver) {
    this.verifier = verifier;
    this.resolver = resolver;
  }

  /** Verifies {@code token}; fails with the problem the REST API would answer (401, 403 or 503). */
  public Future<Grant> verify(String token, String requestId, String clientAddress) {
    if (token == null || token.isBlank()) {
      return Future.failedFuture(new Unauthorized("a valid bearer token is required"));
    }
    return verifier.authenticate(new TokenCredentials(token))
        .recover(e -> Future.failedFuture(e instanceof TokenRefused refused
            && refused.reason() == TokenRefused.Reason.EXPIRED ? Unauthorized.expiredToken()
            : Unauthorized.invalidToken("a valid bearer token is required")))
        .compose(user -> {
          Long exp = user.attributes().getLong("exp", user.principal().getLong("exp"));
          return resolver.standing(user.principal(), requestId, clientAddress)
              .map(ctx -> new Grant(ctx, user.principal(), exp * 1000));
        });
  }

  /** Checks a grant's session and tenant again: the socket's context if both still stand. */
  public Future<TenantContext> recheck(Grant grant) {
    return resolver.standing(grant.principal(), grant.ctx().requestId(), grant.ctx().clientAddress());
  }
}
