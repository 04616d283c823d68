package io.caduceus.api.flags;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.Set;

/**
 * One tenant's modules: those its plan leaves out (the platform owner's) and those its admin switched off. A module
 * is on when it is in neither. A tenant without any row has every module on.
 */
public record TenantModules(Set<ProductModule> disallowed, Set<ProductModule> disabled) {

  /** Every module allowed and on. */
  public static final TenantModules ALL_ON = new TenantModules(Set.of(), Set.of());

  public TenantModules {
    disallowed = disallowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(disallowed));
    disabled = disabled.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(disabled));
  }

  /** Whether the module is allowed by the plan and switched on. */
  public boolean on(ProductModule module) {
    return !disallowed.contains(module) && !disabled.contains(module);
  }

  /** Every module with its plan and switch, as the API shows them. */
  public JsonObject json() {
    JsonArray modules = new JsonArray();
    for (ProductModule m : ProductModule.values()) {
      modules.add(new JsonObject().put("module", m.wire()).put("allowed", !disallowed.contains(m))
          .put("enabled", !disabled.contains(m)).put("on", on(m)));
    }
    return new JsonObject().put("modules", modules);
  }
}
