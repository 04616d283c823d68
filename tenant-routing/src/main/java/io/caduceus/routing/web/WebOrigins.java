package io.caduceus.routing.web;

import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The web origins allowed to call the API from a browser: the deployment's ({@link CorsPolicy}), for every request,
 * and each active tenant's own (its patient portal on its own domain), for that tenant's requests. An answer that
 * belongs to no tenant yet (a login, a refused token, a preflight, which carries no token) is readable by any of
 * them, so a tenant's app can sign in and learn that its token expired.
 *
 * <p>The tenants' origins are read from the control plane at start and then every {@code refreshMs} (a change made
 * on this node at once), so a change reaches every node within one period. If the control plane cannot be read,
 * the last view stays.
 */
public final class WebOrigins {

  static final String ACTIVE = """
      SELECT o.tenant_id, o.origin
      FROM tenant_web_origin o
      JOIN tenant t ON t.id = o.tenant_id
      WHERE t.status = 'active'""";
  private static final Logger LOG = LoggerFactory.getLogger(WebOrigins.class);

  private final CorsPolicy deployment;
  private final ControlPlane controlPlane;
  private volatile Map<TenantId, Set<String>> byTenant = Map.of();
  private volatile Set<String> anyTenant = Set.of();

  private WebOrigins(CorsPolicy deployment, ControlPlane controlPlane) {
    this.deployment = deployment;
    this.controlPlane = controlPlane;
  }

  /** The deployment's origins alone (no control plane: tools and unit tests). */
  public static WebOrigins deploymentOnly(CorsPolicy deployment) {
    return new WebOrigins(deployment, null);
  }

  /** Reads the tenants' origins once, then keeps them fresh every {@code refreshMs}. */
  public static Future<WebOrigins> load(Vertx vertx, ControlPlane controlPlane, CorsPolicy deployment,
                                        long refreshMs) {
    WebOrigins origins = new WebOrigins(deployment, controlPlane);
    return origins.refresh().map(v -> {
      vertx.setPeriodic(refreshMs, refreshMs, id -> origins.refresh());
      return origins;
    });
  }

  /** Reads the tenants' origins from the control plane now. */
  public Future<Void> refresh() {
    if (controlPlane == null) {
      return Future.succeededFuture();
    }
    return controlPlane.pool().query(ACTIVE).execute().map(rows -> {
      Map<TenantId, Set<String>> next = new HashMap<>();
      Set<String> all = new HashSet<>();
      for (Row row : rows) {
        next.computeIfAbsent(new TenantId(row.getUUID("tenant_id")), t -> new HashSet<>()).add(row.getString("origin"));
        all.add(row.getString("origin"));
      }
      byTenant = Map.copyOf(next);
      anyTenant = Set.copyOf(all);
      return (Void) null;
    }).onFailure(e -> LOG.warn("tenant web origins not refreshed; keeping the last view ({})",
        e.getClass().getSimpleName()));
  }

  /** Whether an answer to this origin may be read by its page; {@code tenant} is the request's, or null. */
  public boolean allows(String origin, TenantContext tenant) {
    if (origin == null || deployment.allows(origin)) {
      return origin != null;
    }
    String o = origin.toLowerCase(Locale.ROOT);
    return tenant == null ? anyTenant.contains(o) : byTenant.getOrDefault(tenant.tenantId(), Set.of()).contains(o);
  }

  /** Whether a preflight from this origin is answered (it carries no token, so no tenant is known yet). */
  public boolean allowsAnywhere(String origin) {
    return allows(origin, null);
  }

  /** Whether browsers may send credentials (cookies, client certificates) along. */
  public boolean allowCredentials() {
    return deployment.allowCredentials();
  }
}
