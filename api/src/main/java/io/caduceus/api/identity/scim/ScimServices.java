package io.caduceus.api.identity.scim;

import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.identity.RoleMapping;
import io.caduceus.routing.ControlPlane;

/** The SCIM services of a node, sharing one repository and one role derivation. */
public record ScimServices(ScimUserService users, ScimGroupService groups, ScimTokenService tokens) {

  public ScimServices(ControlPlane controlPlane, UserRepository users, RoleMapping mapping, AuthService auth) {
    this(controlPlane, new ScimRepository(), users, mapping, auth);
  }

  private ScimServices(ControlPlane controlPlane, ScimRepository repository, UserRepository users,
                       RoleMapping mapping, AuthService auth) {
    this(new ScimUserService(controlPlane, repository, users, new ScimAccess(repository, mapping, auth)),
        new ScimGroupService(controlPlane, repository, new ScimAccess(repository, mapping, auth)),
        new ScimTokenService(controlPlane));
  }
}
