package io.caduceus.api.identity.scim;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SCIM Groups of one tenant. A group's display name is what the tenant's role mapping matches, so every change of a
 * group's name or members re-derives the roles of the members it touches ({@link ScimAccess}) and ends the sessions
 * of those whose roles changed.
 */
public final class ScimGroupService {

  private static final Set<String> FILTERS = Set.of("displayname", "externalid", "id");

  private final ControlPlane controlPlane;
  private final ScimRepository repository;
  private final ScimAccess access;

  ScimGroupService(ControlPlane controlPlane, ScimRepository repository, ScimAccess access) {
    this.controlPlane = controlPlane;
    this.repository = repository;
    this.access = access;
  }

  /** A group and its members. */
  public Future<JsonObject> get(TenantContext ctx, UUID id, String base) {
    return controlPlane.inTransaction(conn -> render(conn, ctx.tenantId(), id, base));
  }

  /** One page of groups, optionally filtered. */
  public Future<JsonObject> list(TenantContext ctx, String filter, int startIndex, int count, String base) {
    Optional<ScimFilter> parsed = ScimFilter.parse(filter, FILTERS);
    return controlPlane.inTransaction(conn -> repository.groups(conn, ctx.tenantId(), parsed, startIndex - 1, count)
        .compose(page -> {
          Future<List<JsonObject>> rendered = Future.succeededFuture(List.of());
          for (ScimGroup group : page.items()) {
            rendered = rendered.compose(done -> repository.members(conn, ctx.tenantId(), group.id())
                .map(members -> {
                  List<JsonObject> more = new ArrayList<>(done);
                  more.add(ScimJson.group(group, members, base));
                  return more;
                }));
          }
          return rendered.map(items -> ScimJson.list(items, page.total(), startIndex));
        }));
  }

  /** Creates a group with its members (201). */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body, String base) {
    Draft draft = Draft.of(body);
    TenantId tenant = ctx.tenantId();
    UUID id = UuidV7.next();
    return controlPlane.inTransaction(conn -> repository.groupNamed(conn, tenant, draft.displayName())
            .compose(taken -> taken.isPresent() ? Future.failedFuture(new Conflict("displayName is already taken"))
                : known(conn, tenant, draft.members()))
            .compose(v -> repository.insertGroup(conn, tenant, id, draft.displayName(), draft.externalId()))
            .compose(v -> repository.setMembers(conn, tenant, id, draft.members()))
            .compose(v -> access.syncAll(conn, tenant, draft.members())))
        .recover(ScimGroupService::uniqueness)
        .compose(changed -> access.endSessions(tenant, changed, "groups changed by SCIM"))
        .onSuccess(v -> ctx.audit().about(id))
        .compose(v -> get(ctx, id, base));
  }

  /** Replaces a group (PUT). */
  public Future<JsonObject> replace(TenantContext ctx, UUID id, JsonObject body, Integer ifMatch, String base) {
    Draft draft = Draft.of(body);
    TenantId tenant = ctx.tenantId();
    return controlPlane.inTransaction(conn -> current(conn, tenant, id, ifMatch)
            .compose(group -> group.displayName().equalsIgnoreCase(draft.displayName()) ? Future.succeededFuture()
                : repository.groupNamed(conn, tenant, draft.displayName()).compose(taken -> taken.isPresent()
                    ? Future.failedFuture(new Conflict("displayName is already taken")) : Future.succeededFuture()))
            .compose(v -> known(conn, tenant, draft.members()))
            .compose(v -> repository.members(conn, tenant, id))
            .compose(before -> repository.updateGroup(conn, tenant, id, draft.displayName(), draft.externalId())
                .compose(v -> repository.setMembers(conn, tenant, id, draft.members()))
                .compose(v -> {
                  Set<UUID> touched = new LinkedHashSet<>(draft.members());
                  before.forEach(m -> touched.add(m.userId()));
                  return access.syncAll(conn, tenant, touched);
                })))
        .recover(ScimGroupService::uniqueness)
        .compose(changed -> access.endSessions(tenant, changed, "groups changed by SCIM"))
        .compose(v -> get(ctx, id, base));
  }

  /** Applies a PATCH request (Entra's and Okta's member adds and removes included), then replaces the group. */
  public Future<JsonObject> patch(TenantContext ctx, UUID id, JsonObject body, Integer ifMatch, String base) {
    return controlPlane.inTransaction(conn -> current(conn, ctx.tenantId(), id, ifMatch)
            .compose(group -> repository.members(conn, ctx.tenantId(), id).map(members -> {
              JsonArray list = new JsonArray();
              members.forEach(m -> list.add(new JsonObject().put("value", m.userId().toString())));
              JsonObject json = new JsonObject().put("displayName", group.displayName()).put("members", list);
              if (group.externalId() != null) {
                json.put("externalId", group.externalId());
              }
              return new Patched(ScimPatch.apply(json, body), group.version());
            })))
        .compose(p -> replace(ctx, id, p.resource(), p.version(), base));
  }

  /** Deletes a group; its former members lose the roles it gave them. */
  public Future<Void> delete(TenantContext ctx, UUID id, Integer ifMatch) {
    TenantId tenant = ctx.tenantId();
    return controlPlane.inTransaction(conn -> current(conn, tenant, id, ifMatch)
            .compose(group -> repository.members(conn, tenant, id))
            .compose(before -> repository.deleteGroup(conn, tenant, id)
                .compose(v -> access.syncAll(conn, tenant, before.stream().map(ScimGroup.Member::userId).toList()))))
        .compose(changed -> access.endSessions(tenant, changed, "groups changed by SCIM"));
  }

  private Future<JsonObject> render(SqlConnection conn, TenantId tenant, UUID id, String base) {
    return repository.group(conn, tenant, id, false).compose(found -> found.isEmpty()
        ? Future.failedFuture(new NotFound("no such group"))
        : repository.members(conn, tenant, id).map(members -> ScimJson.group(found.get(), members, base)));
  }

  private Future<ScimGroup> current(SqlConnection conn, TenantId tenant, UUID id, Integer ifMatch) {
    return repository.group(conn, tenant, id, true).map(found -> {
      ScimGroup group = found.orElseThrow(() -> new NotFound("no such group"));
      if (ifMatch != null && ifMatch != group.version()) {
        throw new PreconditionFailed("the group has changed since that version");
      }
      return group;
    });
  }

  /** Fails unless every member is a SCIM user of this tenant (another tenant's user is as unknown as none). */
  private Future<Void> known(SqlConnection conn, TenantId tenant, List<UUID> members) {
    if (members.isEmpty()) {
      return Future.succeededFuture();
    }
    return repository.existingUsers(conn, tenant, members).compose(found -> found.size() == members.size()
        ? Future.succeededFuture()
        : Future.failedFuture(new Invalid(ScimErrors.VALUE, "a member is not a user of this tenant")));
  }

  private static <T> Future<T> uniqueness(Throwable failure) {
    return Future.failedFuture(ConstraintViolation.of(failure, "scim_group_name")
        ? new Conflict("displayName is already taken") : failure);
  }

  private record Patched(JsonObject resource, int version) {
  }

  /** A Group resource as sent: a display name, an optional external id, members by user id. */
  record Draft(String displayName, String externalId, List<UUID> members) {

    static Draft of(JsonObject body) {
      Object name = body.getValue("displayName");
      if (!(name instanceof String displayName) || displayName.isBlank() || displayName.length() > 256) {
        throw new Invalid(ScimErrors.VALUE, "displayName is required, at most 256 characters");
      }
      Object external = body.getValue("externalId");
      if (external != null && (!(external instanceof String e) || e.length() > 256)) {
        throw new Invalid(ScimErrors.VALUE, "externalId is a string of at most 256 characters");
      }
      Set<UUID> members = new LinkedHashSet<>();
      Object list = body.getValue("members");
      if (list != null && !(list instanceof JsonArray)) {
        throw new Invalid(ScimErrors.VALUE, "members is a list");
      }
      if (list instanceof JsonArray array) {
        for (Object item : array) {
          if (!(item instanceof JsonObject member) || !(member.getValue("value") instanceof String value)) {
            throw new Invalid(ScimErrors.VALUE, "each member names a user by value");
          }
          try {
            members.add(UUID.fromString(value));
          } catch (IllegalArgumentException e) {
            throw new Invalid(ScimErrors.VALUE, "a member is not a user of this tenant");
          }
        }
      }
      String externalId = external == null || ((String) external).isBlank() ? null : (String) external;
      return new Draft(displayName.trim(), externalId, List.copyOf(members));
    }
  }
}
