package io.caduceus.api.onboarding;

import io.caduceus.api.error.Invalid;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.catalog.NewTenant;
import io.caduceus.routing.catalog.TenantKind;
import io.caduceus.routing.catalog.TenantStatus;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.ZoneId;

/** Reads a new tenant from a validated request body, checking what the schema cannot: region and time zone. */
final class TenantDraft {

  private TenantDraft() {
  }

  /** The tenant described by {@code body}, to be created in {@code status}. */
  static NewTenant of(JsonObject body, RegionRegistry regions, TenantStatus status) {
    String region = body.getString("dataRegion");
    if (!regions.serves(region)) {
      throw new Invalid("/dataRegion", "this deployment has no such region");
    }
    String zone = body.getString("timeZone");
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new Invalid("/timeZone", "not an IANA time zone");
    }
    TenantKind kind = TenantKind.fromWire(body.getString("kind"));
    if (kind == TenantKind.PLATFORM) {
      throw new Invalid("/kind", "there is only one platform tenant");
    }
    return new NewTenant(kind, body.getString("slug"), body.getString("name"), status, region,
        IsolationTier.fromWire(body.getString("isolationTier", "shared")), body.getString("locale"), zone,
        body.getJsonObject("branding", new JsonObject()));
  }
}
