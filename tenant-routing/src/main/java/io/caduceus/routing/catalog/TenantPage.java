package io.caduceus.routing.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One page of the tenant listing, with the position after its last tenant. */
public record TenantPage(List<Tenant> tenants, Instant nextCreatedAt, UUID nextId) {

  /** Whether there may be more tenants after this page. */
  public boolean hasMore() {
    return nextId != null;
  }
}
