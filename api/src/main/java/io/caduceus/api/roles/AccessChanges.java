package io.caduceus.api.roles;

import io.caduceus.api.auth.Revocations;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.UUID;
import java.util.function.Function;

/**
 * The one way a change to a tenant's roles, assignments or grants is made: in one control-plane transaction with
 * its before/after record and the bump of the tenant's access version; once committed, the version is published
 * with the revocation flags, so every node's next request of the tenant's members reads their access afresh. The
 * tenant's access policy (organisation/) records its changes here too, from inside its regional transaction.
 */
public final class AccessChanges {

  /** What a change did, for its before/after record. */
  public record Change<T>(T result, String action, String objectType, UUID objectId, JsonObject before, JsonObject after) {
  }

  private final ControlPlane controlPlane;
  private final Revocations revocations;

  public AccessChanges(ControlPlane controlPlane, Revocations revocations) {
    this.controlPlane = controlPlane;
    this.revocations = revocations;
  }

  /** Runs {@code work}, records its change and bumps the version in the same transaction, then publishes it. */
  public <T> Future<T> apply(TenantContext ctx, Function<SqlConnection, Future<Change<T>>> work) {
    record Done<T>(T result, long version) {
    }
    return controlPlane.inTransaction(conn -> work.apply(conn).compose(change -> conn
            .preparedQuery(RoleSql.INSERT_CHANGE).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
                UuidV7.next(), ctx.userId(), change.action(), change.objectType(), change.objectId(), change.before(),
                change.after(), ctx.requestId()}))
            .compose(v -> conn.preparedQuery(RoleSql.BUMP_VERSION).execute(Tuple.of(ctx.tenantId().value())))
            .map(rows -> new Done<>(change.result(), rows.iterator().next().getLong("version")))))
        .compose(done -> revocations.accessChanged(ctx.tenantId(), done.version()).map(done.result()));
  }
}
