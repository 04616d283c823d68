package io.caduceus.routing.catalog;

import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonObject;

/** What onboarding knows about a tenant before it exists. */
public record NewTenant(
    TenantKind kind,
    String slug,
    String name,
    TenantStatus status,
    String dataRegion,
    IsolationTier tier,
    String locale,
    String timeZone,
    JsonObject branding) {
}
