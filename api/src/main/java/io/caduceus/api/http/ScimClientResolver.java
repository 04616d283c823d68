package io.caduceus.api.http;

import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.api.error.Unavailable;
import io.caduceus.api.identity.scim.ScimBearer;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The tenant resolution of a SCIM request ({@code scimBearer}): the tenant is the one the verified SCIM token belongs
 * to and nothing else (the token is bound to it in the control plane), which must be active and served by this node.
 * The context's user is the token (its id), so the token is charged its own user quota; it carries no role: SCIM
 * services need none, and no other operation accepts this scheme.
 */
public final class ScimClientResolver implements Handler<RoutingContext> {

  private final TenantCatalog catalog;
  private final RegionRegistry regions;
  private final PlacementView placements;

  public ScimClientResolver(TenantCatalog catalog, RegionRegistry regions, PlacementView placements) {
    this.catalog = catalog;
    this.regions = regions;
    this.placements = placements;
  }

  @Override
  public void handle(RoutingContext rc) {
    TenantId tenant;
    UUID token;
    try {
      tenant = TenantId.parse(rc.user().principal().getString(ScimBearer.TENANT));
      token = UUID.fromString(rc.user().principal().getString(ScimBearer.TOKEN));
    } catch (RuntimeException e) {
      rc.fail(Unauthorized.invalidToken("a SCIM token is required"));
      return;
    }
    catalog.find(tenant)
        .recover(e -> Future.failedFuture(new Unavailable("the tenant catalog is unavailable")))
        .onSuccess(found -> {
          try {
            TenantContext ctx = resolve(rc, tenant, token, found);
            rc.put(Requests.TENANT, ctx);
            if (ctx.tier() != IsolationTier.SHARED && !placements.knows(tenant)) {
              placements.refresh().onComplete(done -> rc.next());
            } else {
              rc.next();
            }
          } catch (RuntimeException e) {
            rc.fail(e);
          }
        })
        .onFailure(rc::fail);
  }

  private TenantContext resolve(RoutingContext rc, TenantId tenant, UUID token,
                                Optional<Tenant> found) {
    if (found.isEmpty() || !found.get().isActive()) {
      throw new Forbidden("the tenant is suspended");
    }
    if (!regions.serves(found.get().dataRegion())) {
      throw new Forbidden("the tenant's data region is not served by this node");
    }
    return new TenantContext(tenant, found.get().dataRegion(), found.get().tier(), token, Set.of(), Set.of(),
        Optional.empty(), Requests.requestId(rc), Requests.clientAddress(rc), null);
  }
}
