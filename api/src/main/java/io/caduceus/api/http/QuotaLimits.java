package io.caduceus.api.http;

import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.quota.Quota;
import io.vertx.core.json.JsonObject;

/**
 * The request quotas in effect for a caller: its tenant's effective "quotas" keys (the node's defaults under the
 * global, region and tenant levels), read from this node's configuration view, so charging a request does no I/O.
 */
public final class QuotaLimits {

  /** The configuration namespace of the request quotas. */
  public static final String NAMESPACE = "quotas";

  /** The tenant's allowance and the caller's. */
  public record Limits(Quota tenant, Quota user) {
  }

  private final EffectiveConfig config;

  public QuotaLimits(EffectiveConfig config) {
    this.config = config;
  }

  /** The limits of {@code ctx}'s tenant and user: the user's own when {@code users} names them, else {@code user}. */
  public Limits of(TenantContext ctx) {
    JsonObject quotas = config.of(NAMESPACE, ctx.tenantId(), ctx.region());
    JsonObject own = quotas.getJsonObject("users", new JsonObject()).getJsonObject(ctx.userId().toString());
    return new Limits(quota(quotas.getJsonObject("tenant")), quota(own != null ? own : quotas.getJsonObject("user")));
  }

  /** A quota as the namespace keeps it ({@code {"perSecond", "burst"}}). */
  public static Quota quota(JsonObject json) {
    return new Quota(((Number) json.getValue("perSecond")).doubleValue(), json.getInteger("burst"));
  }

  /** The namespace's form of a quota. */
  public static JsonObject json(Quota quota) {
    return new JsonObject().put("perSecond", quota.perSecond()).put("burst", quota.burst());
  }
}
