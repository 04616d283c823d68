package io.caduceus.routing.router;

import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.BearerTokens;
import io.caduceus.routing.catalog.InvitationTenants;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.ScimTokens;
import io.caduceus.routing.keys.TenantSecrets;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * Decides which region a request belongs to: the verified token's tenant's {@code data_region} (through the
 * catalog's cache), or for a public route what names its tenant (see {@link PublicRoutes}); an {@code OPTIONS}
 * request (a CORS preflight, which carries no token) goes to the home region. An unknown tenant fails
 * with {@link EdgeFailure#notFound}, a tenant of a region the router has no nodes for with
 * {@link EdgeFailure#unavailable}, a missing or invalid token with a {@code TokenRefused}.
 */
public final class RegionResolver implements RequestRegions {

  private final Topology topology;
  private final BearerTokens tokens;
  private final TenantCatalog catalog;
  private final InvitationTenants invitations;

  public RegionResolver(Topology topology, BearerTokens tokens, TenantCatalog catalog, InvitationTenants invitations) {
    this.topology = topology;
    this.tokens = tokens;
    this.catalog = catalog;
    this.invitations = invitations;
  }

  @Override
  public Future<RegionNodes> regionOf(HttpMethod method, String path, String authorization, Buffer body) {
    PublicRoutes.Kind kind = PublicRoutes.of(path);
    if (method == HttpMethod.OPTIONS && kind != PublicRoutes.Kind.BLOCKED) {
      // A CORS preflight carries no token, and every node answers it alike: the home region's node does.
      return nodes(topology.home());
    }
    return switch (kind) {
      case TOKEN -> scimTenant(path, authorization).map(this::regionOfTenant)
          .orElseGet(() -> tokens.verify(authorization).compose(bearer -> regionOfTenant(bearer.tenant())));
      case HOME -> nodes(topology.home());
      case BODY_REGION -> nodes(bodyRegion(body));
      case INVITATION -> invitationRegion(body);
      case BODY_SECRET -> secretRegion(body);
      case PATH_TENANT -> pathTenantRegion(path);
      case BLOCKED -> Future.failedFuture(EdgeFailure.notFound("no such route"));
    };
  }

  /** The region of a tenant; {@link EdgeFailure#notFound} when the catalog has no such tenant. */
  public Future<RegionNodes> regionOfTenant(TenantId tenant) {
    return catalog.find(tenant).compose(found -> found.isEmpty()
        ? Future.failedFuture(EdgeFailure.notFound("no such tenant"))
        : nodes(found.get().dataRegion()));
  }

  /** The nodes of a region; {@link EdgeFailure#unavailable} when the router has none configured for it. */
  public Future<RegionNodes> nodes(String region) {
    return topology.region(region).map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(
            EdgeFailure.unavailable("the tenant's region is not reachable from here")));
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
    return invitations.of(token).compose(tenant -> tenant.isEmpty() ? nodes(topology.home())
        : regionOfTenant(tenant.get()));
  }

  // A guest's join code or key names its tenant, whose region holds it; text that names none goes home, whose node
  // answers 404 as it would for any unknown code.
  private Future<RegionNodes> secretRegion(Buffer body) {
    String secret;
    try {
      JsonObject json = new JsonObject(body);
      secret = json.getValue("code") instanceof String code ? code
          : json.getValue("key") instanceof String key ? key : null;
    } catch (RuntimeException e) {
      secret = null;
    }
    return TenantSecrets.tenantOf(secret).map(tenant -> regionOfTenant(tenant)
            .recover(failure -> failure instanceof EdgeFailure edge && edge.status() == 404
                ? nodes(topology.home()) : Future.failedFuture(failure)))
        .orElseGet(() -> nodes(topology.home()));
  }

  // A SCIM token names its tenant in clear (ScimTokens): routed by it without a lookup; the node checks the token.
  private static Optional<TenantId> scimTenant(String path, String authorization) {
    return path.startsWith("/scim/") ? ScimTokens.tenantOf(authorization) : Optional.empty();
  }

  private Future<RegionNodes> pathTenantRegion(String path) {
    TenantId tenant;
    try {
      tenant = TenantId.parse(PublicRoutes.pathTenant(path));
    } catch (RuntimeException e) {
      return Future.failedFuture(EdgeFailure.notFound("no such tenant"));
    }
    return regionOfTenant(tenant);
  }
}
