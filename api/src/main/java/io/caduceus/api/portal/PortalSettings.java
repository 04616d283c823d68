package io.caduceus.api.portal;

import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;

/**
 * What a tenant lets its patients do and see in the app: its effective "portal" configuration, read from the node's
 * view (no I/O). Whether they may write secure messages, and how long a lab result waits before the app shows it.
 */
public record PortalSettings(boolean patientMessages, int resultsDelayHours) {

  /** The configuration namespace of the portal settings. */
  public static final String NAMESPACE = "portal";

  /** The settings in effect for {@code scope}'s tenant. */
  public static PortalSettings of(EffectiveConfig config, TenantContext scope) {
    JsonObject keys = config.of(NAMESPACE, scope.tenantId(), scope.region());
    return new PortalSettings(keys.getBoolean("patientMessages"), keys.getInteger("resultsDelayHours"));
  }
}
