package io.caduceus.api.auth;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link JWTAuth} that remembers tokens it has verified until they expire.
 *
 * <p>vertx-auth-jwt verifies ES256 under a lock shared by all event loops (one {@code Signature} per key), which
 * would cap a node at a few thousand requests per second. A mobile client sends the same token for its whole
 * ten-minute life, so each distinct token is verified once per node. The cache is keyed by the complete token
 * string: any altered byte is a different key and goes through full verification. Revocation is not cached; it
 * is checked on every request by the tenant resolver. A token without {@code exp} is refused: vertx-auth-jwt
 * would treat it as never expiring.
 */
public final class VerifiedTokens implements JWTAuth {

  private static final int MAX_ENTRIES = 50_000;

  private final JWTAuth delegate;
  private final Map<String, Verified> cache = new ConcurrentHashMap<>();

  private record Verified(JsonObject principal, JsonObject attributes, long expiresAtSeconds) {
  }

  public VerifiedTokens(JWTAuth delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
      return delegate.authenticate(credentials);
    }
    long now = System.currentTimeMillis() / 1000;
    Verified hit = cache.get(token.getToken());
    if (hit != null) {
      if (hit.expiresAtSeconds > now) {
        return Future.succeededFuture(User.create(hit.principal.copy(), hit.attributes.copy()));
      }
      cache.remove(token.getToken());
    }
    return delegate.authenticate(credentials).compose(user -> {
      // vertx-auth-jwt treats a token without "exp" as never expiring; ours always expire.
      if (user.attributes().getLong("exp") == null) {
        return Future.failedFuture("the token has no expiry");
      }
      remember(token.getToken(), user, now);
      return Future.succeededFuture(user);
    });
  }

  private void remember(String token, User user, long now) {
    long exp = user.attributes().getLong("exp");
    if (cache.size() >= MAX_ENTRIES) {
      cache.values().removeIf(v -> v.expiresAtSeconds <= now);
      if (cache.size() >= MAX_ENTRIES) {
        cache.clear();
      }
    }
    cache.put(token, new Verified(user.principal().copy(), user.attributes().copy(), exp));
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    throw new UnsupportedOperationException("the verifier does not sign");
  }

  @Override
  public String generateToken(JsonObject claims) {
    throw new UnsupportedOperationException("the verifier does not sign");
  }
}
