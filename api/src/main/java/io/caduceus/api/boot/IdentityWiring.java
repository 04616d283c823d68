package io.caduceus.api.boot;

import io.caduceus.api.http.Operations;
import io.caduceus.api.identity.IdentityProviders;
import io.caduceus.api.identity.MappedMembers;
import io.caduceus.api.identity.RoleMappingService;
import io.caduceus.api.identity.SsoHandlers;
import io.caduceus.api.identity.SsoLogins;
import io.caduceus.api.identity.SsoPasswordRule;
import io.caduceus.api.identity.SsoSettingsService;
import io.caduceus.api.ops.ServerUrl;

/** Enterprise identity: each tenant's OpenID provider, its role mapping, and single sign-on with JIT provisioning. */
final class IdentityWiring {

  final IdentityProviders providers;
  final SsoSettingsService ssoSettings;
  final RoleMappingService roleMapping;
  final SsoLogins ssoLogins;

  IdentityWiring(Shared shared, AccessWiring access, MappedMembers mappedMembers) {
    this.providers = new IdentityProviders(shared.vertx());
    this.ssoSettings = new SsoSettingsService(shared.controlPlane(), shared.keyring(), providers);
    this.roleMapping = new RoleMappingService(shared.controlPlane(), mappedMembers);
    this.ssoLogins = new SsoLogins(shared.controlPlane(), shared.catalog(), shared.keyring(), providers, access.users,
        access.auth, shared.audit());
    access.auth.passwordRule(new SsoPasswordRule(shared.controlPlane()));
  }

  /** Binds the identity operations. */
  void bind(Operations ops, ServerUrl serverUrl) {
    new SsoHandlers(ssoSettings, roleMapping, ssoLogins, serverUrl).bind(ops);
  }
}
