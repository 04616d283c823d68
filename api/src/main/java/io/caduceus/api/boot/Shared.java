package io.caduceus.api.boot;

import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.phone.PhoneNumbers;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.catalog.ServedTenants;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;

/** What every area's wiring builds on: the node's doors to data, its keys, its audit trail and its outbox. */
record Shared(Vertx vertx, AppConfig config, ControlPlane controlPlane, RegionRegistry regions,
              PlacementView placements, TenantDb db, TenantCatalog catalog, TenantKeyring keyring, RedisAPI redis,
              AuditTrail audit, Idempotency idempotency, Cursors cursors, PhoneNumbers phones, Outbox outbox) {

  /** The tenants of this node's regions, for background work that visits each. */
  ServedTenants servedTenants() {
    return new ServedTenants(catalog, regions);
  }
}
