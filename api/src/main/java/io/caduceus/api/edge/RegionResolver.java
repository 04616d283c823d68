package io.caduceus.api.edge;

import io.caduceus.api.auth.SecretTokens;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unavailable;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;

/**
 * Decides which region a request belongs to: the verified token's tenant's {@code data_region} (through the
 * catalog's cache), or for a public route what names its tenant (see {@link PublicRoutes}); an {@code OPTIONS}
 * request (a CORS preflight, which carries no token) goes to the home region. An unknown tenant fails
 * with {@link NotFound}, a tenant of a region the router has no nodes for with {@link Unavailable}, a missing or
 * invalid token with an {@code Unauthorized}.
 */
public final class RegionResolver implements RequestRegions {

  private static final String INVITATION_TENANT = "SELECT tenant_id FROM invitation WHERE token_hash = $1";

  private final Topology topology;
  private final EdgeTokens tokens;
  private final TenantCatalog catalog;
  private final ControlPlane controlPlane;

  public RegionResolver(Topology topology, EdgeTokens tokens, TenantCatalog catalog, ControlPlane controlPlane) {
    this.topology = topology;
    this.tokens = tokens;
    this.catalog = catalog;
    this.controlPlane = controlPlane;
  }

  @Override
  public Future<RegionNodes> regionOf(HttpMethod method, String path, String authorization, Buffer body) {
    PublicRoutes.Kind kind = PublicRoutes.of(path);
    if (method == HttpMethod.OPTIONS && kind != PublicRoutes.Kind.BLOCKED) {
      // A CORS preflight carries no token, and every node answers it alike: the home region's node does.
      return nodes(topology.home());
    }
    return switch (kind) {
      case TOKEN -> tokens.verify(authorization).compose(bearer -> regionOfTenant(bearer.tenant()));
      case HOME -> nodes(topology.home());
      case BODY_REGION -> nodes(bodyRegion(body));
      case INVITATION -> invitationRegion(body);
      case PATH_TENANT -> pathTenantRegion(path);
      case BLOCKED -> Future.failedFuture(new NotFound("no such route"));
    };
  }

  /** The region of a tenant; {@link NotFound} when the catalog has no such tenant. */
  public Future<RegionNodes> regionOfTenant(TenantId tenant) {
    return catalog.find(tenant).compose(found -> found.isEmpty()
        ? Future.failedFuture(new NotFound("no such tenant"))
        : nodes(found.get().dataRegion()));
  }

  /** The nodes of a region; {@link Unavailable} when the router has none configured for it. */
  public Future<RegionNodes> nodes(String region) {
    return topology.region(region).map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Unavailable("the tenant's region is not reachable from here")));
  }

  // A registration names its region in the body; one the router does not know goes home, whose node refuses it.
  private String bodyRegion(Buffer body) {
    try {
      String region = new JsonObject(body).getString("dataRegion");
      return region != null && topology.knows(region) ? region : topology.home();
    } catch (RuntimeException e) {
      return topology.home();
    }
  }

  // An invitation is accepted in its tenant's region (the acceptance is audited there); an unknown code goes home,
  // whose node answers 404 as it would for any unknown code.
  private Future<RegionNodes> invitationRegion(Buffer body) {
    String token;
    try {
      token = new JsonObject(body).getString("token");
    } catch (RuntimeException e) {
      token = null;
    }
    if (token == null) {
      return nodes(topology.home());
    }
    return controlPlane.pool().preparedQuery(INVITATION_TENANT)
        .execute(Tuple.of(Buffer.buffer(SecretTokens.hash(token))))
        .compose(rows -> rows.size() == 0 ? nodes(topology.home())
            : regionOfTenant(new TenantId(rows.iterator().next().getUUID("tenant_id"))));
  }

  private Future<RegionNodes> pathTenantRegion(String path) {
    TenantId tenant;
    try {
      tenant = TenantId.parse(PublicRoutes.pathTenant(path));
    } catch (RuntimeException e) {
      return Future.failedFuture(new NotFound("no such tenant"));
    }
    return regionOfTenant(tenant);
  }
}
