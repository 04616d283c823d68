package io.caduceus.api.identity.scim;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.ScimTokens;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;

/**
 * The SCIM bearer tokens of a tenant: a tenant admin creates one for its IdP (the secret is shown once and stored as
 * its SHA-256), lists them without secrets, and revokes them; a revoked token is refused on its next request.
 */
public final class ScimTokenService {

  /** The token a SCIM request authenticated with, and the tenant it belongs to. */
  public record Client(UUID tokenId, TenantId tenant) {
  }

  private final ControlPlane controlPlane;

  public ScimTokenService(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Creates a token; the answer is the only place its secret ever appears. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    String token = ScimTokens.issue(ctx.tenantId());
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(ScimSql.TOKEN_INSERT).execute(Tuple.of(UuidV7.next(),
            ctx.tenantId().value(), body.getString("name").trim(), SecretTokens.hash(token), ctx.userId())))
        .map(rows -> json(rows.iterator().next()).put("token", token));
  }

  /** The tenant's tokens, oldest first, revoked ones included; never a secret. */
  public Future<JsonObject> list(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(ScimSql.TOKEN_LIST).execute(Tuple.of(ctx.tenantId().value())))
        .map(rows -> new JsonArray(Rows.list(rows, ScimTokenService::json)))
        .map(items -> new JsonObject().put("items", items));
  }

  /** Revokes a token of the tenant (again: no change); another tenant's token answers 404. */
  public Future<Void> revoke(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(ScimSql.TOKEN_REVOKE).execute(Tuple.of(ctx.tenantId().value(),
            id)))
        .compose(rows -> rows.rowCount() > 0 ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such SCIM token")));
  }

  /** The live token a bearer value is, if any: it must be a SCIM token whose hash is stored and not revoked. */
  public Future<Optional<Client>> authenticate(String token) {
    Optional<TenantId> named = ScimTokens.tenantOf(token);
    if (named.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    return controlPlane.pool().preparedQuery(ScimSql.TOKEN_LIVE).execute(Tuple.of(SecretTokens.hash(token)))
        .map(rows -> Rows.optional(rows, row -> new Client(row.getUUID("id"), new TenantId(row.getUUID("tenant_id")))))
        .map(found -> found.filter(c -> c.tenant().equals(named.get())))
        .onSuccess(found -> found.ifPresent(c -> controlPlane.pool().preparedQuery(ScimSql.TOKEN_USED)
            .execute(Tuple.of(c.tokenId()))));
  }

  private static JsonObject json(Row row) {
    JsonObject json = new JsonObject().put("id", row.getUUID("id").toString()).put("name", row.getString("name"))
        .put("createdAt", time(row.getOffsetDateTime("created_at")));
    OffsetDateTime used = row.getOffsetDateTime("last_used_at");
    OffsetDateTime revoked = row.getOffsetDateTime("revoked_at");
    if (used != null) {
      json.put("lastUsedAt", time(used));
    }
    if (revoked != null) {
      json.put("revokedAt", time(revoked));
    }
    return json;
  }

  private static String time(OffsetDateTime t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.withOffsetSameInstant(ZoneOffset.UTC));
  }
}
