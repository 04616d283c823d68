package io.caduceus.api.account;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.Revocations;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.UUID;

/**
 * A user's own sessions (one per login and tenant): listed with their device and last use, ended one by one or
 * all but the current; and a tenant admin ending a member's sessions in the tenant. Every ending goes the one
 * revocation way: the control plane's row first (the truth), then the Redis flags, so the session's access tokens
 * stop on their next request on any node and its refresh tokens at once.
 */
public final class UserSessions {

  /** The most sessions a list shows (the newest). */
  static final int LIST_LIMIT = 100;

  private final ControlPlane controlPlane;
  private final Revocations revocations;
  private final UserRepository users;
  private final AuthService auth;

  public UserSessions(ControlPlane controlPlane, Revocations revocations, UserRepository users, AuthService auth) {
    this.controlPlane = controlPlane;
    this.revocations = revocations;
    this.users = users;
    this.auth = auth;
  }

  /** The user's live sessions in every tenant, newest first. */
  public Future<List<SessionView>> list(UUID userId) {
    return controlPlane.pool().preparedQuery(AccountSql.SESSIONS).execute(Tuple.of(userId, LIST_LIMIT))
        .map(rows -> Rows.list(rows, SessionView::fromRow));
  }

  /** Ends one of the user's own live sessions; another user's (or an ended one) is 404. */
  public Future<Void> endOwn(UUID userId, UUID sessionId) {
    return controlPlane.pool().preparedQuery(AccountSql.END_OWN).execute(Tuple.of(userId, sessionId, "ended by user"))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")))
        .compose(ended -> ended.isEmpty() ? Future.failedFuture(new NotFound("no such session"))
            : revocations.endSessions(ended));
  }

  /** Ends every live session of the user but {@code except} (all of them when it is null); how many ended. */
  public Future<Integer> endAll(UUID userId, UUID except, String reason) {
    return controlPlane.pool().preparedQuery(AccountSql.END_ALL).execute(Tuple.of(userId, except, reason))
        .map(rows -> Rows.list(rows, row -> row.getUUID("id")))
        .compose(ended -> revocations.endSessions(ended).map(ended.size()));
  }

  /**
   * A tenant admin ends a member's sessions in the admin's active tenant (the path named it; the resolver checked).
   * Someone who is not a member there is 404, so no admin learns of people outside their tenant.
   */
  public Future<Void> endMember(TenantContext ctx, UUID userId) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> users.member(ctx.tenantId(), userId))
        .compose(member -> member.filter(m -> "active".equals(m.status())).isEmpty()
            ? Future.failedFuture(new NotFound("no such member"))
            : auth.endMember(userId, ctx.tenantId(), "ended by tenant admin"));
  }
}
