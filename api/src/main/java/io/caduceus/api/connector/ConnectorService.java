package io.caduceus.api.connector;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * A tenant admin's EHR connectors: created, read, changed and deleted in the tenant's own tables, the credential
 * sealed under the tenant's key and never answered.
 */
public final class ConnectorService {

  private final TenantDb db;
  private final TenantKeyring keyring;
  private final ConnectorRepository repo = new ConnectorRepository();

  public ConnectorService(TenantDb db, TenantKeyring keyring) {
    this.db = db;
    this.keyring = keyring;
  }

  /** Creates a connector; its secret is required. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    UUID id = UuidV7.next();
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .map(v -> ConnectorDraft.from(body))
        .compose(draft -> {
          if (draft.secret() == null || draft.secret().isEmpty()) {
            return Future.failedFuture(new Invalid(secretPointer(draft), "is required"));
          }
          ctx.audit().about(id);
          return keyring.keys(ctx.tenantId()).compose(keys -> db.inTenant(ctx, conn -> repo.insert(conn, ctx, id,
              draft, keys.seal(Connector.secretBinding(id), draft.secret()))));
        })
        .map(Connector::json);
  }

  /** One connector of the tenant. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return find(ctx, id).map(Connector::json);
  }

  /** The tenant's connectors, oldest first. */
  public Future<List<JsonObject>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.once(ctx, repo::list))
        .map(found -> found.stream().map(Connector::json).toList());
  }

  /** Replaces name, URL and auth; a secret left out is kept when the auth type is. */
  public Future<JsonObject> update(TenantContext ctx, UUID id, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .map(v -> ConnectorDraft.from(body))
        .compose(draft -> keyring.keys(ctx.tenantId()).compose(keys -> db.inTenant(ctx, conn -> repo.find(conn, id)
            .compose(current -> {
              Connector found = current.orElseThrow(() -> new NotFound("no such connector"));
              byte[] sealed;
              if (draft.secret() != null && !draft.secret().isEmpty()) {
                sealed = keys.seal(Connector.secretBinding(id), draft.secret());
              } else if (draft.authType().equals(found.authType())) {
                sealed = found.secretSealed();
              } else {
                return Future.failedFuture(new Invalid(secretPointer(draft), "is required to change the auth type"));
              }
              return repo.update(conn, id, draft, sealed)
                  .map(updated -> updated.orElseThrow(() -> new NotFound("no such connector")));
            }))))
        .map(Connector::json);
  }

  /** Deletes a connector and its jobs; what it imported stays, with its provenance. */
  public Future<Void> delete(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repo.delete(conn, id)))
        .compose(deleted -> deleted ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such connector")));
  }

  /** The connector, for its admin. */
  Future<Connector> find(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.once(ctx, conn -> repo.find(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such connector")));
  }

  private static String secretPointer(ConnectorDraft draft) {
    return "oauth2".equals(draft.authType()) ? "/auth/clientSecret" : "/auth/password";
  }
}
