package io.caduceus.routing.catalog;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;

/** Which tenant an invitation belongs to, found by the invitation's token (stored only as its hash). */
public final class InvitationTenants {

  private static final String TENANT_OF = "SELECT tenant_id FROM invitation WHERE token_hash = $1";

  private final ControlPlane controlPlane;

  public InvitationTenants(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** The tenant of the invitation whose token this is; empty for an unknown token. */
  public Future<Optional<TenantId>> of(String token) {
    return controlPlane.pool().preparedQuery(TENANT_OF).execute(Tuple.of(Buffer.buffer(SecretTokens.hash(token))))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(new TenantId(rows.iterator().next().getUUID("tenant_id"))));
  }
}
