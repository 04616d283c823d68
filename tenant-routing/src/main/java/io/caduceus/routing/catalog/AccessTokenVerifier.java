package io.caduceus.routing.catalog;

import io.vertx.core.Vertx;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.List;

/**
 * The one verifier of the API's ES256 access tokens, built from the public halves of the signing keys: the nodes
 * build it from the keys they load, the region router from the keys it reads. It checks signature, issuer and
 * audience; {@link VerifiedTokens} judges expiry and remembers what it verified.
 */
public final class AccessTokenVerifier {

  /** The audience every access token names. */
  public static final String AUDIENCE = "caduceus-api";
  /** Seconds of clock difference tolerated between the node that signed a token and the one checking it. */
  public static final int LEEWAY_SECONDS = 5;

  /** The public half of one signing key. */
  public record PublicKey(String kid, String pem) {
  }

  private AccessTokenVerifier() {
  }

  /** The options every access token is signed and verified with. */
  public static JWTOptions options(String issuer) {
    return new JWTOptions().setIssuer(issuer).setAudience(List.of(AUDIENCE)).setLeeway(LEEWAY_SECONDS);
  }

  /** A verifier of tokens signed by any of {@code keys} (at least one) for {@code issuer}. */
  public static VerifiedTokens of(Vertx vertx, String issuer, List<PublicKey> keys) {
    // Expiry is judged by VerifiedTokens, so that an expired token is answered as such.
    JWTAuthOptions verifying = new JWTAuthOptions().setJWTOptions(options(issuer).setIgnoreExpiration(true));
    keys.forEach(key -> verifying.addPubSecKey(new PubSecKeyOptions().setAlgorithm("ES256").setId(key.kid())
        .setBuffer(key.pem())));
    return new VerifiedTokens(JWTAuth.create(vertx, verifying));
  }
}
