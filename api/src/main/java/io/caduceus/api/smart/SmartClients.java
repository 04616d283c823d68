package io.caduceus.api.smart;

import com.nimbusds.jose.jwk.JWKSet;
import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.Role;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The SMART backend clients of a tenant: a tenant admin registers one (its public JWK set, the staff roles it acts
 * with, its allowed {@code system/} scopes), lists them and disables one, which ends its session so its tokens stop
 * on their next request.
 */
public final class SmartClients {

  private static final Set<String> NOT_FOR_CLIENTS = Set.of(Role.PATIENT.wire(), Role.PLATFORM_OWNER.wire(),
      Role.TENANT_ADMIN.wire());

  private final ControlPlane controlPlane;
  private final Revocations revocations;

  public SmartClients(ControlPlane controlPlane, Revocations revocations) {
    this.controlPlane = controlPlane;
    this.revocations = revocations;
  }

  /** Registers a client of the caller's tenant. */
  public Future<SmartClient> register(TenantContext ctx, JsonObject body) {
    List<String> roles = strings(body.getJsonArray("roles"));
    List<String> scopes = strings(body.getJsonArray("scopes"));
    JsonObject jwks = body.getJsonObject("jwks");
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> validate(jwks, roles, scopes))
        .compose(v -> controlPlane.inTransaction(conn -> {
          UUID session = UUID.randomUUID();
          return conn.preparedQuery(SmartSql.INSERT_SESSION).execute(Tuple.of(ctx.tenantId().value(), session))
              .compose(r -> conn.preparedQuery(SmartSql.INSERT_CLIENT).execute(Tuple.from(new Object[] {
                  UuidV7.next(), ctx.tenantId().value(), body.getString("name").trim(), jwks,
                  roles.toArray(new String[0]), scopes.toArray(new String[0]), session, ctx.userId()})));
        }))
        .map(rows -> SmartClient.fromRow(rows.iterator().next()));
  }

  /** The tenant's clients, oldest first, disabled ones included. */
  public Future<List<SmartClient>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(SmartSql.LIST).execute(Tuple.of(ctx.tenantId().value())))
        .map(rows -> Rows.list(rows, SmartClient::fromRow));
  }

  /** Disables a client of the tenant (again: no change) and ends its tokens; another tenant's answers 404. */
  public Future<Void> disable(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> controlPlane.pool().preparedQuery(SmartSql.DISABLE).execute(Tuple.of(ctx.tenantId().value(), id)))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such SMART client"))
            : revocations.endSessions(List.of(rows.iterator().next().getUUID("session_id"))));
  }

  /** A client by its id, whichever its tenant (the token endpoint's look-up). */
  public Future<Optional<SmartClient>> find(UUID id) {
    return controlPlane.pool().preparedQuery(SmartSql.FIND).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, SmartClient::fromRow));
  }

  private static Future<Void> validate(JsonObject jwks, List<String> roles, List<String> scopes) {
    try {
      JWKSet set = JWKSet.parse(jwks.encode());
      if (set.getKeys().isEmpty() || set.getKeys().stream().anyMatch(k -> k.isPrivate() || !ClientKeys.usable(k))) {
        return Future.failedFuture(new Invalid("/jwks", "public EC P-256/P-384 or RSA (2048 bits or more) keys only"));
      }
    } catch (java.text.ParseException e) {
      return Future.failedFuture(new Invalid("/jwks", "not a JWK set"));
    }
    for (String role : roles) {
      try {
        Role.fromWire(role);
      } catch (IllegalArgumentException e) {
        return Future.failedFuture(new Invalid("/roles", "unknown role " + role));
      }
      if (NOT_FOR_CLIENTS.contains(role)) {
        return Future.failedFuture(new Invalid("/roles", "a backend client cannot act as " + role));
      }
    }
    for (String scope : scopes) {
      if (SmartScope.parse(scope).filter(s -> "system".equals(s.context())).isEmpty()) {
        return Future.failedFuture(new Invalid("/scopes", "not a system/ resource scope: " + scope));
      }
    }
    return Future.succeededFuture();
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).distinct().toList();
  }
}
