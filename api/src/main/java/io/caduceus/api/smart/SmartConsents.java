package io.caduceus.api.smart;

import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What users let SMART apps do: the user approves a pending authorization request (all it asked, or fewer scopes),
 * which records the consent (who, which app, which scopes, when) and answers the app's redirect with a single-use
 * code; the user lists their consents and revokes one, which ends every token of it on its next request.
 */
public final class SmartConsents {

  private final ControlPlane controlPlane;
  private final Revocations revocations;
  private final FhirUsers fhirUsers;

  public SmartConsents(ControlPlane controlPlane, Revocations revocations, FhirUsers fhirUsers) {
    this.controlPlane = controlPlane;
    this.revocations = revocations;
    this.fhirUsers = fhirUsers;
  }

  /** A pending request the caller may decide, as the portal shows it; another tenant's or user's: 404. */
  public Future<JsonObject> pending(TenantContext ctx, UUID requestId) {
    return controlPlane.pool().preparedQuery(SmartAppSql.PENDING)
        .execute(Tuple.of(requestId, ctx.tenantId().value(), ctx.userId()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such pending authorization request"))
            : Future.succeededFuture(shown(ctx, rows.iterator().next())));
  }

  /** Denies a pending request the caller may decide; answers {@code redirectTo}, the app's URI with the refusal. */
  public Future<JsonObject> deny(TenantContext ctx, UUID requestId) {
    return controlPlane.pool().preparedQuery(SmartAppSql.DENY)
        .execute(Tuple.of(requestId, ctx.tenantId().value(), ctx.userId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFound("no such pending authorization request"));
          }
          Row row = rows.iterator().next();
          return Future.succeededFuture(new JsonObject().put("redirectTo",
              redirect(row.getString("redirect_uri"), "error", "access_denied", row.getString("state"))));
        });
  }

  /**
   * Approves a pending request of the caller's tenant, signed in with {@code session} (an {@code online_access}
   * refresh token ends with it); answers {@code redirectTo}, the app's URI with the code.
   */
  public Future<JsonObject> approve(TenantContext ctx, UUID session, UUID requestId, JsonObject body) {
    JsonArray chosen = body == null ? null : body.getJsonArray("scopes");
    return fhirUsers.of(ctx).compose(fhirUser -> controlPlane.inTransaction(conn -> conn
        .preparedQuery(SmartAppSql.DECIDE)
        .execute(Tuple.of(requestId, ctx.tenantId().value(), ctx.userId()))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(new NotFound("no such pending authorization request"));
          }
          Row request = rows.iterator().next();
          List<String> granted = granted(ctx, List.of(request.getArrayOfStrings("scopes")), chosen);
          UUID consent = UUID.randomUUID();
          String code = SecretTokens.next();
          return conn.preparedQuery(SmartAppSql.INSERT_CONSENT).execute(Tuple.from(new Object[] {consent,
                  ctx.tenantId().value(), request.getUUID("app_id"), ctx.userId(), ctx.patientId().orElse(null),
                  ctx.roles().toArray(new String[0]), granted.toArray(new String[0]), session,
                  request.getUUID("launch_patient_id"), request.getUUID("launch_encounter_id"),
                  fhirUser.orElse(null)}))
              .compose(v -> conn.preparedQuery(SmartAppSql.INSERT_CODE).execute(Tuple.of(
                  Buffer.buffer(SecretTokens.hash(code)), consent, request.getUUID("id"))))
              .map(v -> new JsonObject().put("consentId", consent.toString())
                  .put("scopes", new JsonArray(granted))
                  .put("redirectTo", redirect(request.getString("redirect_uri"), "code", code,
                      request.getString("state"))));
        })));
  }

  /** The caller's consents in their active tenant, newest first, revoked ones included. */
  public Future<List<JsonObject>> list(TenantContext ctx) {
    return controlPlane.pool().preparedQuery(SmartAppSql.LIST_CONSENTS)
        .execute(Tuple.of(ctx.userId(), ctx.tenantId().value()))
        .map(rows -> Rows.list(rows, SmartConsents::json));
  }

  /** Revokes one of the caller's consents (again: no change); every token of it stops. Another's: 404. */
  public Future<Void> revoke(TenantContext ctx, UUID consentId) {
    return controlPlane.pool().preparedQuery(SmartAppSql.REVOKE_CONSENT)
        .execute(Tuple.of(consentId, ctx.userId(), ctx.tenantId().value()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such consent"))
            : revocations.endSessions(SmartApps.sessions(rows.iterator().next())));
  }

  /** The request's scopes the user chose (all when none chosen); patient/ ones only for a patient. */
  private static List<String> granted(TenantContext ctx, List<String> requested, JsonArray chosen) {
    List<String> granted = new ArrayList<>();
    for (String scope : requested) {
      if (chosen == null || chosen.contains(scope)) {
        granted.add(scope);
      }
    }
    boolean patientScopes = granted.stream().flatMap(s -> SmartScope.parse(s).stream())
        .anyMatch(s -> "patient".equals(s.context()));
    if (patientScopes && ctx.patientId().isEmpty()) {
      throw new Forbidden("patient/ scopes can be granted only by the patient");
    }
    if (granted.stream().flatMap(s -> SmartScope.parse(s).stream()).findAny().isEmpty()) {
      throw new Invalid("/scopes", "grant at least one resource scope the app asked for");
    }
    return granted;
  }

  /** The request as the portal shows it: the app, each scope in words, whom it is for, until when. */
  private static JsonObject shown(TenantContext ctx, Row row) {
    JsonArray scopes = new JsonArray();
    for (String scope : row.getArrayOfStrings("scopes")) {
      scopes.add(new JsonObject().put("scope", scope).put("description", SmartScopeWords.of(scope)));
    }
    JsonObject json = new JsonObject().put("id", row.getUUID("id").toString())
        .put("appId", row.getUUID("app_id").toString()).put("appName", row.getString("app_name"))
        .put("scopes", scopes).put("userId", ctx.userId().toString())
        .put("expiresAt", row.getOffsetDateTime("expires_at").toInstant().toString());
    UUID patient = row.getUUID("launch_patient_id") != null ? row.getUUID("launch_patient_id")
        : ctx.patientId().orElse(null);
    if (patient != null) {
      json.put("patientId", patient.toString());
    }
    if (row.getUUID("launch_encounter_id") != null) {
      json.put("encounterId", row.getUUID("launch_encounter_id").toString());
    }
    return json;
  }

  private static String redirect(String uri, String name, String value, String state) {
    StringBuilder to = new StringBuilder(uri).append(uri.contains("?") ? '&' : '?')
        .append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    if (state != null) {
      to.append("&state=").append(URLEncoder.encode(state, StandardCharsets.UTF_8));
    }
    return to.toString();
  }

  private static JsonObject json(Row row) {
    JsonObject json = new JsonObject().put("id", row.getUUID("id").toString())
        .put("appId", row.getUUID("app_id").toString()).put("appName", row.getString("app_name"))
        .put("scopes", new JsonArray(List.of(row.getArrayOfStrings("scopes"))))
        .put("grantedAt", row.getOffsetDateTime("granted_at").toInstant().toString());
    if (row.getOffsetDateTime("revoked_at") != null) {
      json.put("revokedAt", row.getOffsetDateTime("revoked_at").toInstant().toString());
    }
    return json;
  }
}
