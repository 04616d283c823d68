package io.caduceus.api.edge;

import io.caduceus.api.auth.SigningKeys;
import io.caduceus.api.auth.VerifiedTokens;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.List;
import java.util.UUID;

/**
 * Verifies the API's ES256 access tokens at the edge, against the public halves of the signing keys in the control
 * plane (the router never holds a private key or the master key). Verified tokens are remembered as the nodes do
 * ({@link VerifiedTokens}). The keys are reloaded every {@code refresh}, and at most every ten seconds when a token
 * fails, so a key added by a node is picked up without a restart. The router only routes on the token: the node
 * verifies it again and checks the session, the tenant's standing and the caller's permissions.
 */
public final class EdgeTokens {

  private static final String KEYS = "SELECT kid, public_key_pem FROM signing_key WHERE retired_at IS NULL"
      + " ORDER BY created_at DESC";
  private static final long RELOAD_ON_FAILURE_MS = 10_000;

  /** Who a verified token says is calling, and in which tenant. */
  public record Bearer(UUID user, TenantId tenant) {
  }

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final String issuer;
  private volatile JWTAuth verifier;
  private volatile long loadedAt;

  private EdgeTokens(Vertx vertx, ControlPlane controlPlane, String issuer) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.issuer = issuer;
  }

  /** Loads the keys now and then every {@code refreshMs}. */
  public static Future<EdgeTokens> load(Vertx vertx, ControlPlane controlPlane, String issuer, long refreshMs) {
    EdgeTokens tokens = new EdgeTokens(vertx, controlPlane, issuer);
    return tokens.reload().map(v -> {
      vertx.setPeriodic(refreshMs, id -> tokens.reload());
      return tokens;
    });
  }

  /** The bearer of an {@code Authorization} header; fails with {@link Unauthorized} when it has no valid token. */
  public Future<Bearer> verify(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(new Unauthorized("a valid bearer token is required"));
    }
    String token = authorization.substring(7).trim();
    return authenticate(token)
        .recover(failure -> System.currentTimeMillis() - loadedAt < RELOAD_ON_FAILURE_MS
            ? Future.failedFuture(failure)
            : reload().compose(v -> authenticate(token)))
        .map(user -> bearer(user.principal()))
        .recover(failure -> Future.failedFuture(failure instanceof Unauthorized refused ? refused
            : Unauthorized.invalidToken("a valid bearer token is required")));
  }

  private Future<User> authenticate(String token) {
    JWTAuth current = verifier;
    return current == null ? Future.failedFuture("no signing key yet")
        : current.authenticate(new TokenCredentials(token));
  }

  private static Bearer bearer(JsonObject principal) {
    return new Bearer(UUID.fromString(principal.getString("sub")), TenantId.parse(principal.getString("tid")));
  }

  private Future<Void> reload() {
    loadedAt = System.currentTimeMillis();
    return controlPlane.pool().query(KEYS).execute().map(rows -> {
      // Expiry is judged by VerifiedTokens, so that an expired token is answered as such.
      JWTOptions options = new JWTOptions().setIssuer(issuer).setAudience(List.of(SigningKeys.AUDIENCE)).setLeeway(5)
          .setIgnoreExpiration(true);
      JWTAuthOptions verifying = new JWTAuthOptions().setJWTOptions(options);
      if (rows.size() == 0) {
        return null; // no node has started yet, so no token can be valid; a later reload finds the first key
      }
      rows.forEach(row -> verifying.addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256")
          .setId(row.getString("kid")).setBuffer(row.getString("public_key_pem"))));
      verifier = new VerifiedTokens(JWTAuth.create(vertx, verifying));
      return null;
    });
  }
}
