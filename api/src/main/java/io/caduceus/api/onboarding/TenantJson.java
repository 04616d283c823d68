package io.caduceus.api.onboarding;

import io.caduceus.routing.catalog.Tenant;
import io.vertx.core.json.JsonObject;

/** The contract's {@code Tenant}. */
final class TenantJson {

  private TenantJson() {
  }

  static JsonObject of(Tenant t) {
    return new JsonObject()
        .put("id", t.id().toString())
        .put("kind", t.kind().wire())
        .put("slug", t.slug())
        .put("name", t.name())
        .put("status", t.status().wire())
        .put("dataRegion", t.dataRegion())
        .put("isolationTier", t.tier().wire())
        .put("locale", t.locale())
        .put("timeZone", t.timeZone())
        .put("branding", t.branding() == null ? new JsonObject() : t.branding())
        .put("version", t.version())
        .put("createdAt", t.createdAt().toString())
        .put("updatedAt", t.updatedAt().toString());
  }
}
