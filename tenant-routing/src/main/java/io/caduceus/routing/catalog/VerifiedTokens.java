package io.caduceus.routing.catalog;

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
 * A {@link JWTAuth} that remembers tokens it has verified until they expire, and judges expiry itself.
 *
 * <p>vertx-auth-jwt verifies ES256 under a lock shared by all event loops (one {@code Signature} per key), which
 * would cap a node at a few thousand requests per second. A mobile client sends the same token for its whole
 * ten-minute life, so each distinct token is verified once per node. The cache is keyed by the complete token
 * string: any altered byte is a different key and goes through full verification. Revocation is not cached; it
 * is checked on every request by the node's tenant resolver. Nodes and the region router verify through it
 * ({@link AccessTokenVerifier}).
 *
 * <p>The delegate checks the signature, issuer and audience, and must ignore expiry
 * ({@code JWTOptions.setIgnoreExpiration}): this class checks it, so that a genuine token past its {@code exp}
 * is told apart ({@link TokenRefused#expired}, for the app to refresh) from a forged or malformed one, which
 * fails without saying why. A token without {@code exp}, or issued in the future, is refused: vertx-auth-jwt would
 * treat the first as never expiring.
 */
public final class VerifiedTokens implements JWTAuth {

  private static final int MAX_ENTRIES = 50_000;
  private static final long LEEWAY_SECONDS = AccessTokenVerifier.LEEWAY_SECONDS;

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
      if (hit.expiresAtSeconds + LEEWAY_SECONDS > now) {
        return Future.succeededFuture(User.create(hit.principal.copy(), hit.attributes.copy()));
      }
      cache.remove(token.getToken());
      return Future.failedFuture(TokenRefused.expired());
    }
    return delegate.authenticate(credentials).compose(user -> {
      JsonObject claims = user.attributes();
      // vertx-auth-jwt treats a token without "exp" as never expiring; ours always expire.
      if (claims.getLong("exp") == null || isFuture(claims.getLong("iat"), now) || isFuture(claims.getLong("nbf"), now)) {
        return Future.failedFuture("the token has no expiry or is not valid yet");
      }
      if (claims.getLong("exp") + LEEWAY_SECONDS <= now) {
        return Future.failedFuture(TokenRefused.expired());
      }
      remember(token.getToken(), user, now);
      return Future.succeededFuture(user);
    });
  }

  private static boolean isFuture(Long seconds, long now) {
    return seconds != null && seconds > now + LEEWAY_SECONDS;
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
