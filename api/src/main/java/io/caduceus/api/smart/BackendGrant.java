package io.caduceus.api.smart;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The client-credentials grant of SMART backend services: the client authenticates with a JWT it signed
 * ({@code private_key_jwt}, RFC 7523), and gets a short-lived token of its tenant with the scopes it asked for that
 * it is allowed. An assertion's {@code jti} is remembered in PostgreSQL until it expires, so a replay is refused.
 */
public final class BackendGrant {

  /** The only client assertion type. */
  public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  private static final Duration MAX_LIFE = Duration.ofMinutes(5);
  private static final Duration SKEW = Duration.ofSeconds(30);

  private final ControlPlane controlPlane;
  private final SmartClients clients;
  private final SmartTokens tokens;

  public BackendGrant(ControlPlane controlPlane, SmartClients clients, SmartTokens tokens) {
    this.controlPlane = controlPlane;
    this.clients = clients;
    this.tokens = tokens;
  }

  /** Answers a {@code grant_type=client_credentials} request sent to {@code endpoint} (the token endpoint's URL). */
  public Future<JsonObject> grant(Map<String, String> form, String endpoint) {
    if (!ASSERTION_TYPE.equals(form.get("client_assertion_type")) || form.get("client_assertion") == null) {
      return Future.failedFuture(OAuthError.invalidClient("a client_assertion of type " + ASSERTION_TYPE + " is required"));
    }
    SignedJWT assertion;
    JWTClaimsSet claims;
    UUID clientId;
    try {
      assertion = SignedJWT.parse(form.get("client_assertion"));
      claims = assertion.getJWTClaimsSet();
      clientId = UUID.fromString(String.valueOf(claims.getIssuer()));
    } catch (ParseException | IllegalArgumentException e) {
      return Future.failedFuture(OAuthError.invalidClient("the client assertion is not a signed JWT naming its client"));
    }
    String named = form.get("client_id");
    if (!clientId.toString().equals(claims.getSubject()) || named != null && !named.equals(clientId.toString())) {
      return Future.failedFuture(OAuthError.invalidClient("iss, sub and client_id must all be the client's id"));
    }
    return clients.find(clientId)
        .compose(found -> authenticate(found, assertion, claims, endpoint))
        .compose(client -> issue(client, form.get("scope")));
  }

  private Future<SmartClient> authenticate(Optional<SmartClient> found, SignedJWT assertion, JWTClaimsSet claims,
                                           String endpoint) {
    if (found.isEmpty() || !found.get().enabled()) {
      return Future.failedFuture(OAuthError.invalidClient("unknown or disabled client"));
    }
    SmartClient client = found.get();
    try {
      if (!ClientKeys.signedBy(assertion, JWKSet.parse(client.jwks().encode()))) {
        return Future.failedFuture(OAuthError.invalidClient("the assertion is not signed by a key of the client"));
      }
    } catch (ParseException e) {
      return Future.failedFuture(OAuthError.invalidClient("the client's keys cannot be read"));
    }
    Optional<String> problem = problem(claims, endpoint, Instant.now());
    if (problem.isPresent()) {
      return Future.failedFuture(OAuthError.invalidClient(problem.get()));
    }
    return controlPlane.pool().preparedQuery(SmartSql.REMEMBER_JTI)
        .execute(Tuple.of(client.id(), claims.getJWTID(), Timestamps.utc(claims.getExpirationTime().toInstant())))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(OAuthError.invalidClient("this assertion (its jti) has been used before"))
            : Future.succeededFuture(client));
  }

  /** What is wrong with an assertion's claims, if anything: its audience, its expiry, its jti. */
  static Optional<String> problem(JWTClaimsSet claims, String endpoint, Instant now) {
    if (claims.getAudience() == null || !claims.getAudience().contains(endpoint)) {
      return Optional.of("the assertion's aud must be the token endpoint " + endpoint);
    }
    Date exp = claims.getExpirationTime();
    if (exp == null || !exp.toInstant().isAfter(now)) {
      return Optional.of("the assertion has expired");
    }
    if (exp.toInstant().isAfter(now.plus(MAX_LIFE).plus(SKEW))) {
      return Optional.of("the assertion's exp may be at most five minutes ahead");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW))) {
      return Optional.of("the assertion is not valid yet");
    }
    String jti = claims.getJWTID();
    if (jti == null || jti.isBlank() || jti.length() > 256) {
      return Optional.of("the assertion needs a jti (at most 256 characters)");
    }
    return Optional.empty();
  }

  private Future<JsonObject> issue(SmartClient client, String requested) {
    List<String> granted = granted(client, requested);
    if (granted.isEmpty()) {
      return Future.failedFuture(OAuthError.invalidScope("none of the requested scopes is allowed to this client"));
    }
    String scope = String.join(" ", granted);
    String token = tokens.issue(client.id(), client.tenant(), client.roles(), Optional.empty(), client.sessionId(),
        scope, "private_key_jwt");
    return Future.succeededFuture(tokens.response(token, scope));
  }

  /** The requested scopes the client's allowed ones cover (all allowed ones when it asks for none). */
  private static List<String> granted(SmartClient client, String requested) {
    if (requested == null || requested.isBlank()) {
      return client.scopes();
    }
    List<SmartScope> allowed = client.scopes().stream().flatMap(s -> SmartScope.parse(s).stream()).toList();
    List<String> granted = new ArrayList<>();
    for (String text : requested.trim().split("\\s+")) {
      Optional<SmartScope> scope = SmartScope.parse(text);
      if (scope.isPresent() && allowed.stream().anyMatch(a -> a.covers(scope.get())) && !granted.contains(text)) {
        granted.add(text);
      }
    }
    return granted;
  }
}
