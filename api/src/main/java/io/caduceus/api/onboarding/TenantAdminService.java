package io.caduceus.api.onboarding;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.TenantMember;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantSettings;
import io.caduceus.routing.config.ConfigScope;
import io.caduceus.routing.config.ConfigStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant admin's view of their own tenant: its settings and its members. The resolver has already refused any
 * request naming another tenant, so every method acts on the caller's active tenant. Each change's audit record is
 * declared in the contract.
 */
public final class TenantAdminService {

  private final ControlPlane controlPlane;
  private final TenantCatalog catalog;
  private final UserRepository users;
  private final AuthService auth;
  private final Cursors cursors;
  private final ConfigStore config;

  public TenantAdminService(ControlPlane controlPlane, TenantCatalog catalog, UserRepository users, AuthService auth,
                            Cursors cursors, ConfigStore config) {
    this.config = config;
    this.controlPlane = controlPlane;
    this.catalog = catalog;
    this.users = users;
    this.auth = auth;
    this.cursors = cursors;
  }

  /** The active tenant. */
  public Future<Tenant> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> catalog.findFresh(ctx.tenantId()))
        .map(t -> t.orElseThrow(() -> new NotFound("no such tenant")));
  }

  /**
   * Changes settings if {@code version} is current. The locale, time zone and branding are the tenant level of the
   * "general" configuration namespace: the change is a new version of it, in the same transaction.
   */
  public Future<Tenant> updateSettings(TenantContext ctx, int version, JsonObject body) {
    String zone = body.getString("timeZone");
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> {
          if (zone != null) {
            try {
              ZoneId.of(zone);
            } catch (DateTimeException e) {
              return Future.failedFuture(new Invalid("/timeZone", "not an IANA time zone"));
            }
          }
          TenantSettings settings = new TenantSettings(body.getString("name"), body.getString("locale"), zone,
              body.getJsonObject("branding"));
          return controlPlane.inTransaction(conn -> catalog.updateSettings(conn, ctx.tenantId(), settings, version)
              .compose(updated -> updated.isEmpty() || general(body).isEmpty() ? Future.succeededFuture(updated)
                  : config.merge(conn, ConfigStore.GENERAL, ConfigScope.tenant(ctx.tenantId()), general(body),
                      ctx.userId()).map(updated)));
        })
        .map(t -> t.orElseThrow(() -> new PreconditionFailed("the settings have changed since you read them")))
        .compose(t -> {
          catalog.invalidate(t.id());
          return catalog.findFresh(t.id()).map(Optional::orElseThrow);
        });
  }

  /** The keys of a settings change that are the tenant level of the "general" configuration namespace. */
  private static JsonObject general(JsonObject body) {
    JsonObject general = new JsonObject();
    for (String key : List.of("locale", "timeZone", "branding")) {
      if (body.getValue(key) != null) {
        general.put(key, body.getValue(key));
      }
    }
    return general;
  }

  /** One page of members, oldest first. */
  public Future<Page<TenantMember>> members(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE).compose(v -> {
      Position after = cursors.after(ctx, "members", "", cursor);
      return users.members(ctx.tenantId(), after.at(), after.id(), limit + 1);
    }).map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "members", "",
        last.joinedAt(), last.userId())));
  }

  /** Replaces a member's roles and ends their sessions, so their next token carries the new roles. */
  public Future<TenantMember> setRoles(TenantContext ctx, UUID userId, List<String> roles) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> Future.all(catalog.find(ctx.tenantId()), users.member(ctx.tenantId(), userId)))
        .compose(both -> {
          Tenant tenant = both.<Optional<Tenant>>resultAt(0).orElseThrow();
          TenantMember member = both.<Optional<TenantMember>>resultAt(1)
              .filter(m -> "active".equals(m.status()))
              .orElseThrow(() -> new NotFound("no such member"));
          if (member.roles().contains("patient") || roles.contains("patient")) {
            throw new Conflict("patient accounts are created by invitation and keep the patient role alone");
          }
          if (userId.equals(ctx.userId())) {
            throw new Conflict("you cannot change your own roles; another administrator can");
          }
          RoleRules.check(tenant.kind(), roles, null);
          return controlPlane.inTransaction(conn -> users.setRoles(conn, ctx.tenantId(), userId, roles));
        })
        .compose(changed -> auth.endMember(userId, ctx.tenantId(), "roles changed"))
        .compose(v -> users.member(ctx.tenantId(), userId))
        .map(m -> m.orElseThrow(() -> new NotFound("no such member")));
  }

  /** Removes a member and ends their sessions in this tenant. */
  public Future<Void> remove(TenantContext ctx, UUID userId) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> userId.equals(ctx.userId())
            ? Future.failedFuture(new Conflict("you cannot remove yourself"))
            : controlPlane.inTransaction(conn -> users.remove(conn, ctx.tenantId(), userId)))
        .compose(removed -> removed ? auth.endMember(userId, ctx.tenantId(), "removed from tenant")
            : Future.<Void>failedFuture(new NotFound("no such member")));
  }

  /** Role names from a validated body. */
  static List<String> roles(JsonObject body) {
    List<String> roles = new ArrayList<>();
    body.getJsonArray("roles").forEach(r -> roles.add((String) r));
    return roles;
  }
}
