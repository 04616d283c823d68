package io.caduceus.api.boot;

import io.caduceus.api.flags.ControlPlaneProvider;
import io.caduceus.api.flags.FeatureHandlers;
import io.caduceus.api.flags.FeatureState;
import io.caduceus.api.flags.FlagService;
import io.caduceus.api.flags.Flags;
import io.caduceus.api.flags.ModuleService;
import io.caduceus.api.flags.MyFeatures;
import io.caduceus.api.flags.StaleFlags;
import io.caduceus.api.http.ModuleGate;
import io.caduceus.api.http.Operations;

import java.time.Clock;

/**
 * Feature flags and modules (issue 16): this node's snapshot of both ({@link FeatureState}, kept current through the
 * node's {@code controlPlaneChanges}), the OpenFeature client over it, the router's module gate, the stale report,
 * the operations that edit them and the caller's own evaluated features.
 */
final class FeatureWiring {

  final FeatureState state;
  final Flags flags;
  final ModuleGate gate;
  final StaleFlags stale;
  private final FeatureHandlers handlers;

  FeatureWiring(Shared shared, FeatureState state) {
    this.state = state;
    this.flags = new Flags(new ControlPlaneProvider(state));
    this.gate = new ModuleGate(state);
    this.stale = new StaleFlags(state, Clock.systemUTC());
    this.handlers = new FeatureHandlers(new FlagService(shared.controlPlane(), state, stale),
        new ModuleService(shared.controlPlane(), shared.catalog(), state),
        new MyFeatures(flags, state, shared.catalog()));
  }

  /** Binds the flag and module operations. */
  void bind(Operations ops) {
    handlers.bind(ops);
  }
}
