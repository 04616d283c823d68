package io.caduceus.api.smart;

import io.caduceus.api.auth.Revocations;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The grants of SMART apps, once the app is authenticated ({@link AppClientAuth}). The authorization code: single-use
 * (a minute), of a live consent, sent with the request's redirect URI and the PKCE verifier of its challenge. The
 * refresh token ({@code offline_access} or {@code online_access}): spent once and replaced; a spent one sent again
 * revokes the consent. Either becomes a five-minute token in the approving user's context, in a session the consent's
 * revocation ends, with {@code patient} (and {@code encounter}) and, for {@code openid}, an {@code id_token}.
 */
public final class AppGrant {

  private final ControlPlane controlPlane;
  private final SmartTokens tokens;
  private final AppClientAuth clients;
  private final Revocations revocations;

  /** With {@code keys} the reader of confidential apps' public keys. */
  public AppGrant(ControlPlane controlPlane, SmartTokens tokens, SmartApps apps, AppKeys keys,
                  Revocations revocations) {
    this.controlPlane = controlPlane;
    this.tokens = tokens;
    this.clients = new AppClientAuth(controlPlane, apps, keys);
    this.revocations = revocations;
  }

  /** Answers a {@code grant_type=authorization_code} request sent to {@code endpoint} (FHIR base {@code fhirBase}). */
  public Future<JsonObject> grant(Map<String, String> form, String authorization, String endpoint, String fhirBase) {
    String code = form.get("code");
    String verifier = form.get("code_verifier");
    if (code == null || verifier == null || form.get("redirect_uri") == null) {
      return Future.failedFuture(OAuthError.invalidRequest("code, code_verifier and redirect_uri are required"));
    }
    // Spent before it is checked, in a statement of its own: a wrong verifier or redirect burns the code too.
    return clients.authenticate(form, authorization, endpoint).compose(app -> controlPlane.pool()
        .preparedQuery(SmartAppSql.SPEND_CODE).execute(Tuple.of(Buffer.buffer(SecretTokens.hash(code))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(OAuthError.invalidGrant("the code is unknown, spent, expired or revoked"));
          }
          Row row = rows.iterator().next();
          if (!row.getUUID("app_id").equals(app.id()) || !row.getString("redirect_uri").equals(form.get("redirect_uri"))
              || !row.getString("code_challenge").equals(s256(verifier))) {
            return Future.failedFuture(OAuthError.invalidGrant("client_id, redirect_uri or code_verifier do not match"));
          }
          return issue(row, fhirBase);
        }));
  }

  /** Answers a {@code grant_type=refresh_token} request; a reused refresh token revokes its consent. */
  public Future<JsonObject> refresh(Map<String, String> form, String authorization, String endpoint,
                                    String fhirBase) {
    String refresh = form.get("refresh_token");
    if (refresh == null) {
      return Future.failedFuture(OAuthError.invalidRequest("refresh_token is required"));
    }
    Buffer hash = Buffer.buffer(SecretTokens.hash(refresh));
    return clients.authenticate(form, authorization, endpoint).compose(app -> controlPlane.pool()
        .preparedQuery(SmartAppSql.SPEND_REFRESH).execute(Tuple.of(hash, app.id()))
        .compose(rows -> rows.size() > 0 ? issue(rows.iterator().next(), fhirBase) : controlPlane.pool()
            .preparedQuery(SmartAppSql.REUSED_REFRESH).execute(Tuple.of(hash, app.id()))
            .compose(reused -> reused.size() == 0 ? Future.succeededFuture()
                : revocations.endSessions(SmartApps.sessions(reused.iterator().next())))
            .compose(v -> Future.failedFuture(OAuthError.invalidGrant(
                "the refresh token is unknown, spent, expired, revoked or not this app's")))));
  }

  /** A new session of the consent, its access token and, as its scopes allow, a refresh token and an id_token. */
  private Future<JsonObject> issue(Row row, String fhirBase) {
    List<String> scopes = List.of(row.getArrayOfStrings("scopes"));
    boolean refreshable = scopes.contains("offline_access") || scopes.contains("online_access");
    UUID session = UUID.randomUUID();
    String refresh = refreshable ? SecretTokens.next() : null;
    return controlPlane.inTransaction(conn -> conn.preparedQuery(SmartAppSql.INSERT_SESSION)
            .execute(Tuple.of(row.getUUID("tenant_id"), session, row.getUUID("user_id")))
            .compose(v -> conn.preparedQuery(SmartAppSql.LINK_SESSION)
                .execute(Tuple.of(row.getUUID("consent_id"), session)))
            .compose(v -> refresh == null ? Future.succeededFuture() : store(conn, refresh, row.getUUID("consent_id"))))
        .map(v -> answer(row, session, refresh, fhirBase));
  }

  private static Future<Void> store(SqlConnection conn, String refresh, UUID consent) {
    return conn.preparedQuery(SmartAppSql.INSERT_REFRESH)
        .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(refresh)), consent)).mapEmpty();
  }

  private JsonObject answer(Row row, UUID session, String refresh, String fhirBase) {
    Optional<UUID> patient = Optional.ofNullable(row.getUUID("patient_id"));
    List<String> scopes = List.of(row.getArrayOfStrings("scopes"));
    String scope = String.join(" ", scopes);
    UUID user = row.getUUID("user_id");
    String token = tokens.issue(user, new TenantId(row.getUUID("tenant_id")), List.of(row.getArrayOfStrings("roles")),
        patient, session, scope, "smart");
    JsonObject body = tokens.response(token, scope);
    UUID inContext = row.getUUID("launch_patient_id") != null ? row.getUUID("launch_patient_id") : patient.orElse(null);
    if (inContext != null) {
      body.put("patient", inContext.toString());
    }
    if (row.getUUID("launch_encounter_id") != null) {
      body.put("encounter", row.getUUID("launch_encounter_id").toString());
    }
    if (refresh != null) {
      body.put("refresh_token", refresh);
    }
    if (scopes.contains("openid")) {
      String fhirUser = scopes.contains("fhirUser") && row.getString("fhir_user") != null
          ? fhirBase + "/" + row.getString("fhir_user") : null;
      body.put("id_token", tokens.idToken(user, row.getUUID("app_id").toString(), row.getString("nonce"), fhirUser));
    }
    return body;
  }

  private static String s256(String verifier) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
