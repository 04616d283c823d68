package io.caduceus.api.smart;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Which app is calling the token endpoint, and the proof a confidential one must give: a public app ({@code none})
 * only names its {@code client_id} (its PKCE verifier is the proof); a {@code private_key_jwt} app signs an assertion
 * checked as a backend client's ({@code aud}, {@code exp}, a {@code jti} used once); a {@code client_secret_basic} app
 * sends its secret in the {@code Authorization} header (RFC 6749 section 2.3.1).
 */
final class AppClientAuth {

  private final ControlPlane controlPlane;
  private final SmartApps apps;
  private final AppKeys keys;

  AppClientAuth(ControlPlane controlPlane, SmartApps apps, AppKeys keys) {
    this.controlPlane = controlPlane;
    this.apps = apps;
    this.keys = keys;
  }

  /** What the request presents: the client id it names and its credentials (HTTP Basic, a signed assertion). */
  private record Presented(UUID clientId, String[] basic, SignedJWT assertion, JWTClaimsSet claims) {
  }

  /** The enabled app the request authenticates as, at {@code endpoint}; else {@code invalid_client}. */
  Future<SmartApp> authenticate(Map<String, String> form, String authorization, String endpoint) {
    Presented presented;
    try {
      presented = presented(form, authorization);
    } catch (ParseException | IllegalArgumentException e) {
      return Future.failedFuture(OAuthError.invalidClient("the client is not identified"));
    } catch (OAuthError e) {
      return Future.failedFuture(e);
    }
    return apps.find(presented.clientId()).compose(found -> {
      if (found.isEmpty() || !found.get().enabled()) {
        return Future.failedFuture(OAuthError.invalidClient("unknown or disabled client"));
      }
      SmartApp app = found.get();
      return switch (app.authMethod()) {
        case "client_secret_basic" -> secret(app, presented.basic());
        case "private_key_jwt" -> signed(app, presented.assertion(), presented.claims(), endpoint);
        default -> presented.basic() == null && presented.assertion() == null ? Future.succeededFuture(app)
            : Future.failedFuture(OAuthError.invalidClient("a public app authenticates with PKCE only"));
      };
    });
  }

  /** Reads the client id and credentials; every way of naming the client must name the same one. */
  private static Presented presented(Map<String, String> form, String authorization) throws ParseException {
    String[] basic = basic(authorization);
    String named = form.get("client_id");
    SignedJWT assertion = null;
    JWTClaimsSet claims = null;
    if (form.get("client_assertion") != null) {
      if (!BackendGrant.ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
        throw OAuthError.invalidClient("client_assertion_type must be " + BackendGrant.ASSERTION_TYPE);
      }
      assertion = SignedJWT.parse(form.get("client_assertion"));
      claims = assertion.getJWTClaimsSet();
      named = named != null ? named : claims.getIssuer();
      if (!String.valueOf(claims.getIssuer()).equals(named) || !named.equals(claims.getSubject())) {
        throw OAuthError.invalidClient("iss, sub and client_id must all be the client's id");
      }
    }
    if (basic != null && named != null && !named.equals(basic[0])) {
      throw OAuthError.invalidClient("client_id differs from the Authorization header's");
    }
    return new Presented(UUID.fromString(String.valueOf(basic != null ? basic[0] : named)), basic, assertion, claims);
  }

  private static Future<SmartApp> secret(SmartApp app, String[] basic) {
    if (basic == null || !MessageDigest.isEqual(SecretTokens.hash(basic[1]), app.secretHash())) {
      return Future.failedFuture(OAuthError.invalidClient("the client secret (HTTP Basic) is missing or wrong"));
    }
    return Future.succeededFuture(app);
  }

  private Future<SmartApp> signed(SmartApp app, SignedJWT assertion, JWTClaimsSet claims, String endpoint) {
    if (assertion == null) {
      return Future.failedFuture(OAuthError.invalidClient("a client_assertion is required"));
    }
    return keys.of(app).compose(set -> ClientKeys.signedBy(assertion, set) ? remember(app, claims, endpoint)
        : Future.failedFuture(OAuthError.invalidClient("the assertion is not signed by a key of the app")));
  }

  private Future<SmartApp> remember(SmartApp app, JWTClaimsSet claims, String endpoint) {
    Optional<String> problem = BackendGrant.problem(claims, endpoint, Instant.now());
    if (problem.isPresent()) {
      return Future.failedFuture(OAuthError.invalidClient(problem.get()));
    }
    return controlPlane.pool().preparedQuery(SmartAppSql.REMEMBER_JTI)
        .execute(Tuple.of(app.id(), claims.getJWTID(), Timestamps.utc(claims.getExpirationTime().toInstant())))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(OAuthError.invalidClient("this assertion (its jti) has been used before"))
            : Future.succeededFuture(app));
  }

  /** The id and secret of an HTTP Basic header, each form-decoded; null without one. */
  private static String[] basic(String authorization) {
    if (authorization == null) {
      return null;
    }
    if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw OAuthError.invalidClient("only HTTP Basic client authentication is accepted here");
    }
    String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      throw OAuthError.invalidClient("HTTP Basic needs id:secret");
    }
    return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
        URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
  }
}
