package io.caduceus.api.flags;

import java.util.Map;
import java.util.UUID;

/** Every flag and every tenant's modules at one moment: immutable, replaced whole when anything changes. */
public record FeatureSnapshot(Map<String, FlagDefinition> flags, Map<UUID, TenantModules> modules) {

  public FeatureSnapshot {
    flags = Map.copyOf(flags);
    modules = Map.copyOf(modules);
  }

  /** A tenant's modules (every module on when it has no row). */
  public TenantModules modules(UUID tenant) {
    return modules.getOrDefault(tenant, TenantModules.ALL_ON);
  }
}
