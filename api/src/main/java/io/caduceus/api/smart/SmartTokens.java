package io.caduceus.api.smart;

import io.caduceus.api.auth.SigningKeys;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.AccessTokenVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs the access tokens of SMART clients with the node's signing keys: the claims of a login's token ({@code tid},
 * {@code roles}, {@code sid}, {@code pid}) plus {@code scope}, which confines the token to the FHIR API and its scopes.
 */
public final class SmartTokens {

  /** How long a SMART access token lives at most. */
  public static final Duration MAX_TTL = Duration.ofMinutes(5);

  private final SigningKeys keys;
  private final String issuer;
  private final Duration ttl;

  /**
   * With {@code accessTokenTtl} the lifetime of a login's access tokens: a SMART token never outlives it, since the
   * revocation flag of an ended session is kept only that long.
   */
  public SmartTokens(SigningKeys keys, String issuer, Duration accessTokenTtl) {
    this.keys = keys;
    this.issuer = issuer;
    this.ttl = accessTokenTtl.compareTo(MAX_TTL) < 0 ? accessTokenTtl : MAX_TTL;
  }

  /** A token for {@code subject} (a client or a patient's user) acting in the tenant within the session. */
  public String issue(UUID subject, TenantId tenant, Collection<String> roles, Optional<UUID> patient, UUID session,
                      String scope, String method) {
    JsonObject claims = new JsonObject()
        .put("tid", tenant.toString())
        .put("roles", new JsonArray(List.copyOf(roles)))
        .put("sid", session.toString())
        .put("amr", new JsonArray().add(method))
        .put("auth_time", Instant.now().getEpochSecond())
        .put(SmartAccess.CLAIM, scope);
    patient.ifPresent(p -> claims.put("pid", p.toString()));
    return keys.signer().generateToken(claims, new JWTOptions()
        .setAlgorithm("ES256")
        .setExpiresInSeconds((int) ttl.toSeconds())
        .setIssuer(issuer)
        .setSubject(subject.toString())
        .setAudience(List.of(AccessTokenVerifier.AUDIENCE)));
  }

  /**
   * An OpenID Connect id_token for the user, signed as access tokens are (verifiable from the server's JWKS), for the
   * app {@code clientId}; with its {@code nonce} and the absolute URL of the user's own FHIR record when known.
   */
  public String idToken(UUID user, String clientId, String nonce, String fhirUser) {
    JsonObject claims = new JsonObject().put("auth_time", Instant.now().getEpochSecond());
    if (nonce != null) {
      claims.put("nonce", nonce);
    }
    if (fhirUser != null) {
      claims.put("fhirUser", fhirUser);
    }
    return keys.signer().generateToken(claims, new JWTOptions()
        .setAlgorithm("ES256")
        .setExpiresInSeconds((int) ttl.toSeconds())
        .setIssuer(issuer)
        .setSubject(user.toString())
        .setAudience(List.of(clientId)));
  }

  /** The token response of RFC 6749 section 5.1, never cached. */
  public static Map<String, String> noStore() {
    return Map.of("Cache-Control", "no-store", "Pragma", "no-cache");
  }

  /** The token response body. */
  public JsonObject response(String token, String scope) {
    return new JsonObject().put("access_token", token).put("token_type", "Bearer")
        .put("expires_in", ttl.toSeconds()).put("scope", scope);
  }
}
