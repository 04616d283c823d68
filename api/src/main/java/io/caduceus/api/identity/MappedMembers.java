package io.caduceus.api.identity;

import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.UUID;

/**
 * Members whose roles are derived from the tenant's {@link RoleMapping} between logins (SCIM's users, from their
 * groups): a change of the mapping re-derives them in its own transaction, so nobody keeps a role the mapping no
 * longer grants until some unrelated change. Single sign-on needs nothing of the kind: it maps at every login.
 */
public interface MappedMembers {

  /** No member follows the mapping between logins. */
  MappedMembers NONE = new MappedMembers() {
    @Override
    public Future<List<UUID>> remap(SqlClient conn, TenantId tenant) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Void> ended(TenantId tenant, List<UUID> users, String reason) {
      return Future.succeededFuture();
    }
  };

  /** Re-derives every governed member's roles in {@code conn}; the users whose access changed. */
  Future<List<UUID>> remap(SqlClient conn, TenantId tenant);

  /** Ends the sessions of {@code users}, whose access changed; after the change has committed. */
  Future<Void> ended(TenantId tenant, List<UUID> users, String reason);
}
