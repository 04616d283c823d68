package io.caduceus.api.boot;

import io.caduceus.api.config.ConfigHandlers;
import io.caduceus.api.config.ConfigNamespaces;
import io.caduceus.api.config.ConfigService;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.http.Operations;
import io.caduceus.routing.ControlPlaneChanges;
import io.caduceus.routing.config.ConfigView;

/** Hierarchical configuration: the shipped namespaces, this node's view of every entry, and the operations. */
final class ConfigWiring {

  final ConfigView view;
  final ConfigService service;
  /** The values in effect for a tenant, for the code that honours them (no I/O). */
  final EffectiveConfig effective;

  ConfigWiring(Shared shared, AccessWiring access, ConfigNamespaces namespaces,
               ControlPlaneChanges controlPlaneChanges) {
    this.view = ConfigView.following(access.configStore, controlPlaneChanges);
    this.service = ConfigService.create(namespaces, shared.db(), shared.catalog(), access.users, access.configStore,
        view);
    this.effective = new EffectiveConfig(namespaces, view);
  }

  /** Binds the configuration operations. */
  void bind(Operations ops) {
    new ConfigHandlers(service).bind(ops);
  }
}
