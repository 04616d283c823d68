package io.caduceus.api.auth;

import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.AccessTokenVerifier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues short-lived ES256 access tokens. A token names one active tenant ({@code tid}), the user ({@code sub}),
 * their roles there, the session ({@code sid}) and, for a patient account, the patient record ({@code pid}); what the
 * user proved ({@code amr}) and when ({@code auth_time}, epoch seconds), for step-up operations; and
 * {@code mfa_pending} on a session that may only enrol or verify a second factor.
 */
public final class AccessTokens {

  private final SigningKeys keys;
  private final Duration ttl;
  private final String issuer;

  public AccessTokens(SigningKeys keys, Duration ttl, String issuer) {
    this.keys = keys;
    this.ttl = ttl;
    this.issuer = issuer;
  }

  /** Signs a token for the user acting in the tenant. */
  public String issue(UUID userId, TenantId tenant, Collection<String> roles, Optional<UUID> patientId,
                      UUID sessionId, Assurance assurance) {
    return issue(userId, tenant, roles, patientId, sessionId, assurance, ttl);
  }

  /** The lifetime of a token issued now for a session that ends at {@code sessionEnds}: never past its end. */
  public Duration ttlWithin(Instant sessionEnds) {
    Duration left = Duration.between(Instant.now(), sessionEnds);
    return left.isNegative() ? Duration.ZERO : left.compareTo(ttl) < 0 ? left : ttl;
  }

  /** Signs a token for the user acting in the tenant, valid for {@code lifetime}. */
  public String issue(UUID userId, TenantId tenant, Collection<String> roles, Optional<UUID> patientId,
                      UUID sessionId, Assurance assurance, Duration lifetime) {
    JsonObject claims = new JsonObject()
        .put("tid", tenant.toString())
        .put("roles", new JsonArray(List.copyOf(roles)))
        .put("sid", sessionId.toString())
        .put("amr", new JsonArray(assurance.amr()))
        .put("auth_time", assurance.authTime().getEpochSecond());
    patientId.ifPresent(p -> claims.put("pid", p.toString()));
    if (assurance.mfaPending()) {
      claims.put("mfa_pending", true);
    }
    return keys.signer().generateToken(claims, new JWTOptions()
        .setAlgorithm("ES256")
        .setExpiresInSeconds((int) lifetime.toSeconds())
        .setIssuer(issuer)
        .setSubject(userId.toString())
        .setAudience(List.of(AccessTokenVerifier.AUDIENCE)));
  }

  /** The lifetime of an access token. */
  public Duration ttl() {
    return ttl;
  }
}
