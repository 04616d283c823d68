package io.caduceus.api.config;

import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Carries a namespace's tenant level to where an older reader looks for it (the engagement engine reads its rules
 * in the tenant's region), after every write of that level. The store stays the truth; this is a copy for readers
 * that run inside a regional transaction.
 */
public interface ConfigProjection {

  /** Applies the tenant's effective keys (the schema's defaults under its tenant level) for {@code tenant}. */
  Future<Void> project(TenantContext tenant, JsonObject effective);
}
