package io.caduceus.routing.catalog;

import io.vertx.core.json.JsonObject;

/** The settings a tenant admin may change; a null field keeps its current value. */
public record TenantSettings(String name, String locale, String timeZone, JsonObject branding) {
}
