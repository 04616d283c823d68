package io.caduceus.api.onboarding;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlaceDoor;
import io.caduceus.routing.Placement;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantKind;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The platform owner's tenant lifecycle: onboarding (tenant, data key and first admin's invitation in one
 * control-plane transaction), listing, suspension and reactivation. Each change is audited in the platform
 * tenant's own trail (the contract declares the record), naming the tenant it touched as the partner.
 */
public final class PlatformService {

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final TenantKeyring keyring;
  private final RegionRegistry regions;
  private final InvitationService invitations;
  private final AuthService auth;
  private final Revocations revocations;
  private final Cursors cursors;
  private final PlaceDoor places;
  private final PlacementView placements;

  public PlatformService(ControlPlane controlPlane, TenantCatalog catalog, TenantKeyring keyring,
                         RegionRegistry regions, InvitationService invitations, AuthService auth,
                         Revocations revocations, Cursors cursors, PlaceDoor places,
                         PlacementView placements) {
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.keyring = keyring;
    this.regions = regions;
    this.invitations = invitations;
    this.auth = auth;
    this.revocations = revocations;
    this.cursors = cursors;
    this.places = places;
    this.placements = placements;
  }

  /** The outcome of onboarding: the tenant and, when asked for, its first admin's invitation. */
  public record Onboarded(Tenant tenant, InvitationCreated adminInvitation) {
  }

  /**
   * Creates a tenant in a region this deployment serves, with its data key and optional first admin. A tenant of
   * the schema or database tier gets its own schema or database, built and migrated inside the same control-plane
   * transaction: if that fails, no tenant is created and the half-built place is removed.
   */
  public Future<Onboarded> create(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .map(v -> TenantDraft.of(body, regions, TenantStatus.ACTIVE))
        .compose(t -> t.tier() != IsolationTier.DATABASE ? Future.succeededFuture(t)
            : places.canCreateDatabases().compose(can -> can ? Future.succeededFuture(t)
                : Future.failedFuture(new Unprocessable("this deployment cannot create tenant databases: configure"
                    + " CADUCEUS_DB_SUPERUSER_URL or grant CREATEDB to the owner role"))))
        .compose(t -> controlPlane.inTransaction(conn -> catalog.create(conn, t).compose(tenant ->
            placeOf(conn, tenant).compose(placed -> keyring.provision(conn, tenant.id()))
                .compose(v -> body.getString("adminEmail") == null
                ? Future.succeededFuture(new Onboarded(tenant, null))
                : invitations.issue(conn, tenant.id(), body.getString("adminEmail"), List.of(adminRole(t.kind())),
                    null, ctx.userId()).map(inv -> new Onboarded(tenant, inv))))))
        .compose(onboarded -> onboarded.tenant().tier() == IsolationTier.SHARED ? Future.succeededFuture(onboarded)
            : placements.refresh().map(onboarded))
        .recover(failure -> ConstraintViolation.of(failure, "tenant_slug_key")
            ? Future.failedFuture(new Conflict("another tenant has this slug"))
            : Future.failedFuture(failure))
        .onSuccess(onboarded -> touched(ctx, onboarded.tenant().id()));
  }

  /** One page of tenants, oldest first. */
  public Future<Page<Tenant>> list(TenantContext ctx, TenantStatus status, TenantKind kind, int limit, String cursor) {
    String filters = status + "|" + kind;
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE).compose(v -> {
      Position after = cursors.after(ctx, "tenants", filters, cursor);
      return catalog.list(status, kind, after.at(), after.id(), limit);
    }).map(page -> new Page<>(page.tenants(), !page.hasMore() ? null : cursors.seal(ctx, "tenants", filters,
        page.nextCreatedAt(), page.nextId())));
  }

  /** One tenant. */
  public Future<Tenant> get(TenantContext ctx, TenantId id) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> catalog.findFresh(id))
        .map(t -> t.orElseThrow(() -> new NotFound("no such tenant")));
  }

  /** Suspends a tenant: its users are refused from their next request, and every session of it ends. */
  public Future<Tenant> suspend(TenantContext ctx, TenantId id) {
    touched(ctx, id);
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> id.equals(ctx.tenantId()) ? Future.failedFuture(new Conflict("the platform cannot suspend itself"))
            : move(id, Set.of(TenantStatus.ACTIVE, TenantStatus.PENDING), TenantStatus.SUSPENDED))
        .compose(t -> revocations.suspend(id).compose(v -> auth.endTenant(id, "tenant suspended")).map(t));
  }

  /** Lets a suspended tenant's users act again. */
  public Future<Tenant> reactivate(TenantContext ctx, TenantId id) {
    touched(ctx, id);
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> move(id, Set.of(TenantStatus.SUSPENDED), TenantStatus.ACTIVE))
        .compose(t -> revocations.reactivate(id).map(t));
  }

  /** Approves a self-registered tenant: it becomes active and its admin can sign in and invite their staff. */
  public Future<Tenant> approve(TenantContext ctx, TenantId id) {
    touched(ctx, id);
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> move(id, Set.of(TenantStatus.PENDING), TenantStatus.ACTIVE));
  }

  /** The regions known to the control plane. */
  public Future<Map<String, String>> regions(TenantContext ctx) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE).compose(v -> catalog.regions());
  }

  /** Builds a new tenant's own schema or database, recording its version in the open transaction. */
  private Future<Void> placeOf(SqlConnection conn, Tenant tenant) {
    if (tenant.tier() == IsolationTier.SHARED) {
      return Future.succeededFuture();
    }
    Placement place = Placement.of(tenant.id(), tenant.dataRegion(), tenant.tier());
    return places.prepare(place)
        .compose(version -> places.recordVersion(conn, tenant.id(), version))
        .recover(failure -> places.drop(place).transform(dropped -> Future.failedFuture(failure)));
  }

  private Future<Tenant> move(TenantId id, Set<TenantStatus> from, TenantStatus to) {
    return catalog.transition(id, from, to).compose(moved -> moved.isPresent() ? Future.succeededFuture(moved.get())
        : catalog.findFresh(id).compose(found -> Future.failedFuture(found.isEmpty() ? new NotFound("no such tenant")
            : new Conflict("the tenant is " + found.get().status().wire()))));
  }

  private static String adminRole(TenantKind kind) {
    return kind == TenantKind.PLATFORM ? "platform_owner" : "tenant_admin";
  }

  /** Names the tenant a change touched in the request's audit record: its object, and the partner of the change. */
  private static void touched(TenantContext ctx, TenantId tenant) {
    ctx.audit().about(tenant.value()).partner(tenant.value());
  }
}
