package io.caduceus.api.identity.scim;

import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.identity.MappedMembers;
import io.caduceus.api.identity.RoleMapping;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;

import java.util.List;
import java.util.UUID;

/** The SCIM services of a node, sharing one repository and one role derivation. */
public record ScimServices(ScimUserService users, ScimGroupService groups, ScimTokenService tokens,
                           MappedMembers mappedMembers) {

  public ScimServices(ControlPlane controlPlane, UserRepository users, RoleMapping mapping, AuthService auth) {
    this(controlPlane, new ScimRepository(), users, mapping, auth);
  }

  private ScimServices(ControlPlane controlPlane, ScimRepository repository, UserRepository users,
                       RoleMapping mapping, AuthService auth) {
    this(new ScimUserService(controlPlane, repository, users, new ScimAccess(repository, mapping, auth)),
        new ScimGroupService(controlPlane, repository, new ScimAccess(repository, mapping, auth)),
        new ScimTokenService(controlPlane), members(repository, new ScimAccess(repository, mapping, auth)));
  }

  /** SCIM's users follow the mapping between logins: a new mapping re-derives each of them. */
  private static MappedMembers members(ScimRepository repository, ScimAccess access) {
    return new MappedMembers() {
      @Override
      public Future<List<UUID>> remap(SqlClient conn, TenantId tenant) {
        return repository.userIds(conn, tenant).compose(ids -> access.syncAll(conn, tenant, ids));
      }

      @Override
      public Future<Void> ended(TenantId tenant, List<UUID> users, String reason) {
        return access.endSessions(tenant, users, reason);
      }
    };
  }
}
