package io.caduceus.api.onboarding;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.routing.web.CorsPolicy;
import io.caduceus.routing.web.WebOrigins;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The web origins a tenant runs its own browser apps on (its patient portal on its own domain, say), which its admin
 * lists and CORS then allows for the tenant's requests; the origins every tenant may use are the deployment's.
 */
public final class WebOriginService {

  /** A host name and an optional port, as the control plane's check constraint has it (no IP literals of v6). */
  private static final Pattern STORED = Pattern.compile("https?://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?");

  private final ControlPlane controlPlane;
  private final WebOrigins webOrigins;
  private final WebOriginRepository repository = new WebOriginRepository();

  public WebOriginService(ControlPlane controlPlane, WebOrigins webOrigins) {
    this.controlPlane = controlPlane;
    this.webOrigins = webOrigins;
  }

  /** The active tenant's origins. */
  public Future<JsonObject> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> repository.list(controlPlane.pool(), ctx.tenantId()))
        .map(WebOriginService::json);
  }

  /** Replaces the active tenant's origins; this node allows them at once, every other within its refresh. */
  public Future<JsonObject> replace(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .map(v -> normalised(body.getJsonArray("origins")))
        .compose(origins -> controlPlane.inTransaction(conn -> repository.replace(conn, ctx.tenantId(), origins))
            .compose(done -> webOrigins.refresh())
            .map(v -> json(new ArrayList<>(origins))));
  }

  private static Set<String> normalised(JsonArray listed) {
    Set<String> origins = new TreeSet<>();
    for (int i = 0; i < listed.size(); i++) {
      String origin;
      try {
        origin = CorsPolicy.normalise(listed.getString(i));
      } catch (IllegalArgumentException e) {
        throw new Invalid("/origins/" + i, "is not an origin: scheme://host[:port], http or https, no path");
      }
      if (!STORED.matcher(origin).matches()) {
        throw new Invalid("/origins/" + i, "names no host name (an IP v6 literal or an unusual name)");
      }
      origins.add(origin);
    }
    return origins;
  }

  private static JsonObject json(List<String> origins) {
    return new JsonObject().put("origins", new JsonArray(origins));
  }
}
