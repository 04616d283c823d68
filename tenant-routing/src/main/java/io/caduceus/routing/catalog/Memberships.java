package io.caduceus.routing.catalog;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads a user's memberships in the control plane: the nodes' sessions and the router's portal view both use them. */
public final class Memberships {

  private final ControlPlane controlPlane;

  public Memberships(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Every membership of the user, oldest first. */
  public Future<List<Membership>> ofUser(UUID userId) {
    return controlPlane.pool().preparedQuery(MembershipSql.OF_USER).execute(Tuple.of(userId)).map(rows -> {
      List<Membership> out = new ArrayList<>();
      rows.forEach(row -> out.add(Membership.fromRow(row)));
      return out;
    });
  }

  /** The user's membership in one tenant. */
  public Future<Optional<Membership>> inTenant(UUID userId, TenantId tenant) {
    return controlPlane.pool().preparedQuery(MembershipSql.IN_TENANT).execute(Tuple.of(userId, tenant.value()))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Membership.fromRow(rows.iterator().next())));
  }
}
