package io.caduceus.api.boot;

import io.caduceus.api.auth.AuthService;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.ScimClientResolver;
import io.caduceus.api.identity.RoleMapping;
import io.caduceus.api.identity.scim.ScimBearer;
import io.caduceus.api.identity.scim.ScimHandlers;
import io.caduceus.api.identity.scim.ScimServices;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.catalog.TenantCatalog;

/** SCIM 2.0 provisioning: its bearer scheme, the resolver of its tenant, and its operations. */
final class ScimWiring {

  /** The contract's security scheme of the {@code /scim/v2} operations. */
  static final String SCHEME = "scimBearer";

  final ScimServices services;
  final ScimBearer bearer;
  final ScimClientResolver resolver;

  ScimWiring(ControlPlane controlPlane, TenantCatalog catalog, RegionRegistry regions, PlacementView placements,
             UserRepository users, AuthService auth) {
    this.services = new ScimServices(controlPlane, users, new RoleMapping(), auth);
    this.bearer = new ScimBearer(services.tokens());
    this.resolver = new ScimClientResolver(catalog, regions, placements);
  }

  /** Binds the SCIM and SCIM-token operations. */
  void bind(Operations ops, ServerUrl serverUrl) {
    new ScimHandlers(services.users(), services.groups(), services.tokens(), serverUrl).bind(ops);
  }
}
