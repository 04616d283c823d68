package io.caduceus.api.flags;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.ControlPlaneChanges;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * This node's copy of every flag and every tenant's modules: an immutable {@link FeatureSnapshot} swapped whole, read
 * without I/O by the flag provider, the module gate of the router and the background loops. It is loaded at start,
 * re-read for one flag or one tenant when a notice names it ({@link #FLAGS_CHANNEL}, {@link #MODULES_CHANNEL}), and
 * re-read in full whenever the node's listening connection (re)subscribes, since notices sent meanwhile are lost.
 * Re-reads run one after another, so a full re-read begun before a change can never land after the change's own.
 */
public final class FeatureState {

  /** The channel whose notices name a changed flag's key. */
  public static final String FLAGS_CHANNEL = "caduceus_flags";
  /** The channel whose notices name the tenant whose modules changed. */
  public static final String MODULES_CHANNEL = "caduceus_modules";
  private static final Logger LOG = LoggerFactory.getLogger(FeatureState.class);

  private final ControlPlane controlPlane;
  private final FeatureRepository repository = new FeatureRepository();
  private final AtomicReference<FeatureSnapshot> current =
      new AtomicReference<>(new FeatureSnapshot(Map.of(), Map.of()));
  private Future<Void> reloads = Future.succeededFuture();

  private FeatureState(ControlPlane controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Loads every flag and module state. */
  public static Future<FeatureState> load(ControlPlane controlPlane) {
    FeatureState state = new FeatureState(controlPlane);
    return state.reloadAll().map(state);
  }

  /** A state that never changes, over a snapshot built in memory (the evaluation benchmark, {@code bench/}). */
  public static FeatureState fixed(FeatureSnapshot snapshot) {
    FeatureState state = new FeatureState(null);
    state.current.set(snapshot);
    return state;
  }

  /** Follows the control plane's notices of flag and module changes, and re-reads all on every (re)subscribe. */
  public FeatureState follow(ControlPlaneChanges changes) {
    changes.on(FLAGS_CHANNEL, this::reloadFlag, this::reloadAll)
        .on(MODULES_CHANNEL, tenant -> reloadTenant(UUID.fromString(tenant)), this::reloadAll);
    return this;
  }

  /** The current snapshot. */
  public FeatureSnapshot snapshot() {
    return current.get();
  }

  /** Whether a tenant's module is on (allowed by its plan and switched on); no I/O. */
  public boolean moduleOn(UUID tenant, ProductModule module) {
    return current.get().modules(tenant).on(module);
  }

  /** Re-reads everything. */
  public Future<Void> reloadAll() {
    return serially(() -> repository.flags(controlPlane.pool())
        .compose(flags -> repository.modules(controlPlane.pool())
            .map(modules -> new FeatureSnapshot(flags, modules)))
        .map(snapshot -> {
          current.set(snapshot);
          return null;
        }));
  }

  /** Re-reads one flag (gone from the snapshot if it was deleted). */
  public Future<Void> reloadFlag(String key) {
    return serially(() -> repository.flag(controlPlane.pool(), key, false).map(found -> {
      FeatureSnapshot old = current.get();
      Map<String, FlagDefinition> flags = new HashMap<>(old.flags());
      found.ifPresentOrElse(f -> flags.put(key, f), () -> flags.remove(key));
      current.set(new FeatureSnapshot(flags, old.modules()));
      return null;
    }));
  }

  /** Re-reads one tenant's modules. */
  public Future<Void> reloadTenant(UUID tenant) {
    return serially(() -> repository.modules(controlPlane.pool(), tenant).map(modules -> {
      FeatureSnapshot old = current.get();
      Map<UUID, TenantModules> all = new HashMap<>(old.modules());
      all.put(tenant, modules);
      current.set(new FeatureSnapshot(old.flags(), all));
      return null;
    }));
  }

  private synchronized Future<Void> serially(Supplier<Future<Void>> reload) {
    Future<Void> next = reloads.transform(previous -> reload.get())
        .onFailure(e -> LOG.warn("re-reading flags or modules failed: {}", e.getClass().getSimpleName()));
    reloads = next.recover(e -> Future.succeededFuture());
    return next;
  }
}
