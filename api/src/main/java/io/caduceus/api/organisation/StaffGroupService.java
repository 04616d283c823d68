package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * The groups staff belong to: who holds {@code tenant.users.manage} puts members in facilities, departments and care
 * teams (a placement widens what the member sees, as a grant does, so it is that permission's, not
 * {@code organisation.manage}'s); a member reads their own and, under a switchable view, chooses the one their
 * session works in. A closed group takes no new member and cannot be chosen.
 */
public final class StaffGroupService {

  private final TenantDb db;
  private final UserRepository users;
  private final GroupPages pages;
  private final OrganisationRepository repository = new OrganisationRepository();

  public StaffGroupService(TenantDb db, Cursors cursors, UserRepository users) {
    this.db = db;
    this.users = users;
    this.pages = new GroupPages(db, cursors);
  }

  /** One page of a member's groups in name order, whatever their kind; the cursor is sealed for the member. */
  public Future<Page<StaffGroup>> of(TenantContext ctx, UUID userId, int limit, String cursor) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> member(ctx, userId))
        .compose(v -> pages.page(ctx, OrganisationSql.STAFF_GROUP_PAGES, userId, limit, cursor));
  }

  /** Puts an active member in an open group ({@code in}) or takes them out (of an open or closed one). */
  public Future<Void> place(TenantContext ctx, UUID userId, UUID groupId, boolean in) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> member(ctx, userId))
        .compose(v -> db.inTenant(ctx, conn -> repository.groupKind(conn, groupId).compose(kind -> {
          if (kind.isEmpty()) {
            throw new NotFound("no such facility, department or care team");
          }
          if (in && !kind.get().open()) {
            throw new Conflict("the group is closed: it takes no new members");
          }
          return repository.linkStaffGroup(conn, ctx, userId, groupId, in ? kind.get().kind() : null);
        })));
  }

  /** The caller's groups, the tenant's view and the group this session chose. */
  public Future<JsonObject> mine(TenantContext ctx) {
    return staff(ctx).compose(v -> db.inTenant(ctx, conn -> repository.policy(conn)
        .compose(policy -> repository.staffGroups(conn, ctx.userId())
            .compose(groups -> (ctx.sessionId() == null ? Future.succeededFuture(java.util.Optional.<UUID>empty())
                : repository.sessionGroup(conn, ctx.sessionId(), ctx.userId()))
                .map(chosen -> {
                  JsonObject json = new JsonObject().put("groupView", policy.groupView()).put("items",
                      new JsonArray(groups.stream().map(StaffGroup::toJson).toList()));
                  chosen.filter(id -> groups.stream().anyMatch(g -> g.id().equals(id)))
                      .ifPresent(id -> json.put("activeGroupId", id.toString()));
                  return json;
                })))));
  }

  /** Chooses the group this session works in: one of the caller's groups, not a closed one. */
  public Future<JsonObject> choose(TenantContext ctx, UUID groupId) {
    return staff(ctx).compose(v -> {
      if (ctx.sessionId() == null) {
        throw new Forbidden("only a login session chooses an active group");
      }
      return db.inTenant(ctx, conn -> repository.staffGroups(conn, ctx.userId()).compose(groups -> {
        StaffGroup group = groups.stream().filter(g -> g.id().equals(groupId)).findFirst()
            .orElseThrow(() -> new NotFound("you are in no such group"));
        if (!group.inForce()) {
          throw new Conflict("the group is closed: choose another");
        }
        return repository.chooseSessionGroup(conn, ctx, groupId);
      }));
    }).compose(v -> mine(ctx));
  }

  private static Future<Void> staff(TenantContext ctx) {
    return ctx.actsAsPatient() ? Future.failedFuture(new Forbidden("groups are for staff"))
        : Future.succeededFuture();
  }

  private Future<Void> member(TenantContext ctx, UUID userId) {
    return users.member(ctx.tenantId(), userId).compose(m -> m.filter(x -> "active".equals(x.status())).isPresent()
        ? Future.succeededFuture() : Future.failedFuture(new NotFound("no such member of this tenant")));
  }
}
