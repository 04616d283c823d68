package io.caduceus.api.identity.scim;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.Credentials;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;

/**
 * Verifies the contract's {@code scimBearer} scheme: a SCIM token, not a JWT. vertx-web-openapi-router 5.0.8 takes a
 * bearer scheme's handler only as a {@code JWTAuthHandler}, so this verifier stands where a JWT verifier would (as
 * {@code VerifiedTokens} does): the principal names the token ({@value #TOKEN}) and its tenant ({@value #TENANT}).
 * Nothing is cached, so a revoked token is refused on its next request.
 */
public final class ScimBearer implements JWTAuth {

  /** The principal's claim naming the SCIM token's id. */
  public static final String TOKEN = "scim_token";
  /** The principal's claim naming the token's tenant. */
  public static final String TENANT = "tid";

  private final ScimTokenService tokens;

  public ScimBearer(ScimTokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public Future<User> authenticate(Credentials credentials) {
    if (!(credentials instanceof TokenCredentials token) || token.getToken() == null) {
      return Future.failedFuture("no SCIM token");
    }
    return tokens.authenticate(token.getToken()).compose(found -> found.isEmpty()
        ? Future.failedFuture("not a live SCIM token")
        : Future.succeededFuture(User.create(new JsonObject().put(TOKEN, found.get().tokenId().toString())
            .put(TENANT, found.get().tenant().toString()))));
  }

  @Override
  public String generateToken(JsonObject claims, JWTOptions options) {
    throw new UnsupportedOperationException("SCIM tokens are issued by ScimTokenService");
  }

  @Override
  public String generateToken(JsonObject claims) {
    throw new UnsupportedOperationException("SCIM tokens are issued by ScimTokenService");
  }
}
