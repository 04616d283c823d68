package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.roles.AccessChanges;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The tenant's access policy, read and changed by who holds {@code tenant.settings.write}: versioned like any update
 * (the {@code If-Match} version must be current, 0 before the first change). The database reads the stored row in
 * every statement's row-level security, so a change confines staff from their next statement on. Each change is
 * recorded with the policy before and after it, as changes to tenant roles are ({@link AccessChanges}): the record is
 * committed in the control plane before the regional change commits, so a change is never made unrecorded (a failed
 * regional commit leaves a record whose request's audit row says it failed).
 */
public final class AccessPolicyService {

  private final TenantDb db;
  private final AccessChanges changes;
  private final OrganisationRepository repository = new OrganisationRepository();

  public AccessPolicyService(TenantDb db, AccessChanges changes) {
    this.db = db;
    this.changes = changes;
  }

  /** The policy, or the defaults at version 0. */
  public Future<AccessPolicy> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE).compose(v -> db.once(ctx, repository::policy));
  }

  /** Changes the fields of a validated {@code AccessPolicyUpdate} if {@code version} is current. */
  public Future<AccessPolicy> update(TenantContext ctx, int version, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.policy(conn).compose(before -> {
          if (before.version() != version) {
            return Future.failedFuture(stale());
          }
          return repository.savePolicy(conn, ctx, version, before.changedBy(body))
              .map(saved -> saved.orElseThrow(AccessPolicyService::stale))
              .compose(after -> changes.apply(ctx, cp -> Future.succeededFuture(change(ctx, before, after))));
        })));
  }

  /** The change's record: the policy is the tenant's one, so the tenant's id names it. */
  private static AccessChanges.Change<AccessPolicy> change(TenantContext ctx, AccessPolicy before,
                                                           AccessPolicy after) {
    return new AccessChanges.Change<>(after, "access_policy.update", "access_policy", ctx.tenantId().value(),
        before.toJson(), after.toJson());
  }

  private static PreconditionFailed stale() {
    return new PreconditionFailed("the access policy has changed since you read it");
  }
}
