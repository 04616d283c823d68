package io.caduceus.routing.catalog;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Verifies the API's ES256 access tokens outside a node (the region router), against the public halves of the
 * signing keys in the control plane: it never holds a private key or the master key. It verifies as the nodes do
 * ({@link AccessTokenVerifier}). The keys are reloaded every {@code refresh}, and at most every ten seconds when a
 * token fails, so a key added by a node is picked up without a restart. Its caller only routes on the token: the
 * node verifies it again and checks the session, the tenant's standing and the caller's permissions.
 */
public final class BearerTokens {

  private static final String KEYS = """
      SELECT kid, public_key_pem
      FROM signing_key
      WHERE retired_at IS NULL
      ORDER BY created_at DESC""";
  private static final long RELOAD_ON_FAILURE_MS = 10_000;

  /** Who a verified token says is calling, and in which tenant. */
  public record Bearer(UUID user, TenantId tenant) {
  }

  private final Vertx vertx;
  private final ControlPlane controlPlane;
  private final String issuer;
  private volatile VerifiedTokens verifier;
  private volatile long loadedAt;

  private BearerTokens(Vertx vertx, ControlPlane controlPlane, String issuer) {
    this.vertx = vertx;
    this.controlPlane = controlPlane;
    this.issuer = issuer;
  }

  /** Loads the keys now and then every {@code refreshMs}. */
  public static Future<BearerTokens> load(Vertx vertx, ControlPlane controlPlane, String issuer, long refreshMs) {
    BearerTokens tokens = new BearerTokens(vertx, controlPlane, issuer);
    return tokens.reload().map(v -> {
      vertx.setPeriodic(refreshMs, id -> tokens.reload());
      return tokens;
    });
  }

  /** The bearer of an {@code Authorization} header; fails with {@link TokenRefused} when it has no valid token. */
  public Future<Bearer> verify(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Future.failedFuture(TokenRefused.missing());
    }
    String token = authorization.substring(7).trim();
    return authenticate(token)
        .recover(failure -> System.currentTimeMillis() - loadedAt < RELOAD_ON_FAILURE_MS
            ? Future.failedFuture(failure)
            : reload().compose(v -> authenticate(token)))
        .map(user -> bearer(user.principal()))
        .recover(failure -> Future.failedFuture(failure instanceof TokenRefused refused ? refused
            : TokenRefused.invalid()));
  }

  private Future<User> authenticate(String token) {
    VerifiedTokens current = verifier;
    return current == null ? Future.failedFuture("no signing key yet")
        : current.authenticate(new TokenCredentials(token));
  }

  private static Bearer bearer(JsonObject principal) {
    return new Bearer(UUID.fromString(principal.getString("sub")), TenantId.parse(principal.getString("tid")));
  }

  private Future<Void> reload() {
    loadedAt = System.currentTimeMillis();
    return controlPlane.pool().query(KEYS).execute().map(rows -> {
      if (rows.size() == 0) {
        return null; // no node has started yet, so no token can be valid; a later reload finds the first key
      }
      List<AccessTokenVerifier.PublicKey> keys = new ArrayList<>();
      rows.forEach(row -> keys.add(new AccessTokenVerifier.PublicKey(row.getString("kid"),
          row.getString("public_key_pem"))));
      verifier = AccessTokenVerifier.of(vertx, issuer, keys);
      return null;
    });
  }
}
