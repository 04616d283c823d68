package io.caduceus.api.identity.scim;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * SCIM Users of one tenant. A user is the global identity (one per email, across tenants): a new email creates the
 * user, a known one links that person to this tenant. The SCIM id is the user's id. Deactivating or deleting ends
 * the member's sessions at once ({@link ScimAccess}); deleting unlinks the person from this tenant, never deletes
 * the identity, which other tenants may share.
 */
public final class ScimUserService {

  /** A user's password hash when SCIM created it: no password matches it; they sign in by SSO or a reset. */
  static final String NO_PASSWORD = "!scim-provisioned";
  private static final Set<String> FILTERS = Set.of("username", "externalid", "id");

  private final ControlPlane controlPlane;
  private final ScimRepository repository;
  private final UserRepository users;
  private final ScimAccess access;

  ScimUserService(ControlPlane controlPlane, ScimRepository repository, UserRepository users, ScimAccess access) {
    this.controlPlane = controlPlane;
    this.repository = repository;
    this.users = users;
    this.access = access;
  }

  /** A user and the groups they are in, rendered against {@code base}. */
  public Future<JsonObject> get(TenantContext ctx, UUID id, String base) {
    return controlPlane.inTransaction(conn -> render(conn, ctx.tenantId(), id, base));
  }

  /** One page of users, optionally filtered; {@code startIndex} is 1-based as SCIM counts. */
  public Future<JsonObject> list(TenantContext ctx, String filter, int startIndex, int count, String base) {
    Optional<ScimFilter> parsed = ScimFilter.parse(filter, FILTERS);
    return controlPlane.inTransaction(conn -> repository.users(conn, ctx.tenantId(), parsed, startIndex - 1, count)
        .compose(page -> {
          Future<List<JsonObject>> rendered = Future.succeededFuture(List.of());
          for (ScimUser user : page.items()) {
            rendered = rendered.compose(done -> repository.groupsOf(conn, ctx.tenantId(), user.id())
                .map(groups -> append(done, ScimJson.user(user, groups, base))));
          }
          return rendered.map(items -> ScimJson.list(items, page.total(), startIndex));
        }));
  }

  /** Provisions a user (201). */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body, String base) {
    ScimUserDraft draft = ScimUserDraft.of(body);
    TenantId tenant = ctx.tenantId();
    return controlPlane.inTransaction(conn -> repository.userNamed(conn, tenant, draft.userName())
            .compose(taken -> taken.isPresent() ? Future.failedFuture(new Conflict("userName is already taken"))
                : identity(conn, tenant, draft))
            .compose(id -> repository.insertUser(conn, tenant, id, draft)
                .compose(v -> access.sync(conn, tenant, id))
                .map(changed -> new Changed(id, changed))))
        .recover(ScimUserService::uniqueness)
        .compose(done -> after(tenant, done, "provisioned by SCIM"))
        .onSuccess(id -> ctx.audit().about(id))
        .compose(id -> get(ctx, id, base));
  }

  /** Replaces a user (PUT); {@code ifMatch} is the version the client holds, if it sent one. */
  public Future<JsonObject> replace(TenantContext ctx, UUID id, JsonObject body, Integer ifMatch, String base) {
    ScimUserDraft draft = ScimUserDraft.of(body);
    TenantId tenant = ctx.tenantId();
    return controlPlane.inTransaction(conn -> current(conn, tenant, id, ifMatch)
            .compose(user -> user.userName().equalsIgnoreCase(draft.userName()) ? Future.succeededFuture()
                : repository.userNamed(conn, tenant, draft.userName()).compose(taken -> taken.isPresent()
                    ? Future.failedFuture(new Conflict("userName is already taken")) : Future.succeededFuture()))
            .compose(v -> repository.updateUser(conn, tenant, id, draft))
            .compose(v -> access.sync(conn, tenant, id))
            .map(changed -> new Changed(id, changed)))
        .recover(ScimUserService::uniqueness)
        .compose(done -> after(tenant, done, draft.active() ? "changed by SCIM" : "deactivated by SCIM"))
        .compose(v -> get(ctx, id, base));
  }

  /** Applies a PATCH request to a user, then replaces it with the result. */
  public Future<JsonObject> patch(TenantContext ctx, UUID id, JsonObject body, Integer ifMatch, String base) {
    return controlPlane.inTransaction(conn -> current(conn, ctx.tenantId(), id, ifMatch))
        .compose(user -> replace(ctx, id, ScimPatch.apply(editable(user), body), user.version(), base));
  }

  /** Deletes a user from the tenant and ends their sessions. */
  public Future<Void> delete(TenantContext ctx, UUID id, Integer ifMatch) {
    TenantId tenant = ctx.tenantId();
    return controlPlane.inTransaction(conn -> current(conn, tenant, id, ifMatch)
            .compose(user -> repository.deleteUser(conn, tenant, id))
            .compose(v -> access.sync(conn, tenant, id)))
        .compose(v -> access.endSessions(tenant, List.of(id), "deleted by SCIM"));
  }

  private Future<JsonObject> render(SqlConnection conn, TenantId tenant, UUID id, String base) {
    return repository.user(conn, tenant, id, false).compose(found -> found.isEmpty()
        ? Future.failedFuture(new NotFound("no such user"))
        : repository.groupsOf(conn, tenant, id).map(groups -> ScimJson.user(found.get(), groups, base)));
  }

  /** The global user for the draft's email: the existing one (not yet in this tenant's SCIM), or a new one. */
  private Future<UUID> identity(SqlConnection conn, TenantId tenant, ScimUserDraft draft) {
    return repository.appUserByEmail(conn, draft.email()).compose(existing -> {
      if (existing.isEmpty()) {
        UUID id = UuidV7.next();
        return users.insert(conn, id, draft.email(), draft.displayName(), NO_PASSWORD).map(id);
      }
      UUID id = existing.get();
      return repository.user(conn, tenant, id, false).compose(linked -> linked.isPresent()
          ? Future.failedFuture(new Conflict("a user with this email is already provisioned"))
          : repository.membership(conn, tenant, id).compose(m -> ScimAccess.isPatient(m)
              ? Future.failedFuture(new Conflict("this email holds a patient account here; SCIM provisions staff"))
              : Future.succeededFuture(id)));
    });
  }

  private Future<ScimUser> current(SqlConnection conn, TenantId tenant, UUID id, Integer ifMatch) {
    return repository.user(conn, tenant, id, true).map(found -> {
      ScimUser user = found.orElseThrow(() -> new NotFound("no such user"));
      if (ifMatch != null && ifMatch != user.version()) {
        throw new PreconditionFailed("the user has changed since that version");
      }
      return user;
    });
  }

  /** The attributes a PATCH may change, as the resource shows them. */
  private static JsonObject editable(ScimUser user) {
    JsonObject json = user.attributes().copy().put("userName", user.userName()).put("active", user.active());
    if (user.externalId() != null) {
      json.put("externalId", user.externalId());
    }
    return json;
  }

  private Future<UUID> after(TenantId tenant, Changed done, String reason) {
    return (done.changed() ? access.endSessions(tenant, List.of(done.id()), reason) : Future.<Void>succeededFuture())
        .map(done.id());
  }

  private static <T> Future<T> uniqueness(Throwable failure) {
    return Future.failedFuture(ConstraintViolation.of(failure, "scim_user_name")
        || ConstraintViolation.of(failure, "app_user_email") || ConstraintViolation.of(failure, "scim_user_pkey")
        ? new Conflict("userName is already taken") : failure);
  }

  private static List<JsonObject> append(List<JsonObject> list, JsonObject item) {
    return Stream.concat(list.stream(), Stream.of(item)).toList();
  }

  private record Changed(UUID id, boolean changed) {
  }
}
