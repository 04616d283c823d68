package io.caduceus.api.smart;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
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
 * The authorization-code grant of SMART apps: a single-use code (a minute to use) of a live consent, sent by its app
 * with the request's redirect URI and the PKCE verifier of its challenge, becomes a five-minute token in the
 * approving user's context ({@code patient} in the answer for a patient) and a session the consent's revocation ends.
 */
public final class AppGrant {

  private final ControlPlane controlPlane;
  private final SmartTokens tokens;

  public AppGrant(ControlPlane controlPlane, SmartTokens tokens) {
    this.controlPlane = controlPlane;
    this.tokens = tokens;
  }

  /** Answers a {@code grant_type=authorization_code} request. */
  public Future<JsonObject> grant(Map<String, String> form) {
    String code = form.get("code");
    String verifier = form.get("code_verifier");
    if (code == null || verifier == null || form.get("client_id") == null || form.get("redirect_uri") == null) {
      return Future.failedFuture(OAuthError.invalidRequest("code, code_verifier, client_id and redirect_uri are required"));
    }
    // Spent before it is checked, in a statement of its own: a wrong verifier or redirect burns the code too.
    return controlPlane.pool().preparedQuery(SmartAppSql.SPEND_CODE)
        .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(code))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(OAuthError.invalidGrant("the code is unknown, spent, expired or revoked"));
          }
          Row row = rows.iterator().next();
          if (!row.getUUID("app_id").toString().equals(form.get("client_id"))
              || !row.getString("redirect_uri").equals(form.get("redirect_uri"))
              || !row.getString("code_challenge").equals(s256(verifier))) {
            return Future.failedFuture(OAuthError.invalidGrant("client_id, redirect_uri or code_verifier do not match"));
          }
          UUID session = UUID.randomUUID();
          return controlPlane.inTransaction(conn -> conn.preparedQuery(SmartAppSql.INSERT_SESSION)
              .execute(Tuple.of(row.getUUID("tenant_id"), session, row.getUUID("user_id")))
              .compose(v -> conn.preparedQuery(SmartAppSql.LINK_SESSION)
                  .execute(Tuple.of(row.getUUID("consent_id"), session))))
              .map(v -> answer(row, session));
        });
  }

  private JsonObject answer(Row row, UUID session) {
    Optional<UUID> patient = Optional.ofNullable(row.getUUID("patient_id"));
    String scope = String.join(" ", row.getArrayOfStrings("scopes"));
    String token = tokens.issue(row.getUUID("user_id"), new TenantId(row.getUUID("tenant_id")),
        List.of(row.getArrayOfStrings("roles")), patient, session, scope, "smart");
    JsonObject body = tokens.response(token, scope);
    patient.ifPresent(p -> body.put("patient", p.toString()));
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
