package io.caduceus.api.http;

import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.error.TooManyRequests;
import io.caduceus.api.error.Unavailable;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.quota.Quota;
import io.caduceus.routing.quota.QuotaGate;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;

/**
 * Charges each authenticated request to its tenant's quota and its user's (as the "quotas" configuration sets
 * them, {@link QuotaLimits}), weighted by what the operation costs
 * (a list or search more than a read, a write more than a read), and answers 429 with {@code Retry-After} past
 * either. Every answer carries the {@code RateLimit-Policy} and {@code RateLimit} headers
 * (draft-ietf-httpapi-ratelimit-headers) of the tighter quota.
 */
public final class QuotaHandler {

  private final QuotaGate gate;
  private final QuotaLimits limits;
  private final AppConfig.Quotas config;

  public QuotaHandler(QuotaGate gate, QuotaLimits limits, AppConfig.Quotas config) {
    this.gate = gate;
    this.limits = limits;
    this.config = config;
  }

  /** The cost of one call of an operation. */
  public int cost(String operationId, HttpMethod method) {
    Integer named = config.costs().get(operationId);
    if (named != null) {
      return named;
    }
    if (method != HttpMethod.GET) {
      return config.writeCost();
    }
    String id = operationId.toLowerCase(Locale.ROOT);
    return id.startsWith("list") || id.startsWith("search") ? config.listCost() : 1;
  }

  /** The handler charging {@code cost} per call, to run right after tenant resolution. */
  public Handler<RoutingContext> charging(int cost) {
    return rc -> {
      if (!config.enabled()) {
        rc.next();
        return;
      }
      TenantContext ctx = Requests.tenant(rc);
      QuotaLimits.Limits in = limits.of(ctx);
      RequestStages.start(rc, "quota").until(gate.take(ctx.tenantId().toString(), in.tenant(),
              ctx.userId().toString(), in.user(), cost))
          .onSuccess(decision -> {
            headers(rc, decision);
            if (decision.allowed()) {
              rc.next();
            } else {
              rc.fail(new TooManyRequests("the " + decision.scope() + "'s request quota is spent; retry after "
                  + "the Retry-After seconds", (decision.retryAfterMs() + 999) / 1000));
            }
          })
          .onFailure(e -> rc.fail(e instanceof QuotaGate.QuotaUnavailable
              ? new Unavailable("request quotas cannot be checked; retry shortly") : e));
    };
  }

  private static void headers(RoutingContext rc, QuotaGate.Decision d) {
    Quota q = d.quota();
    long window = Math.max(1, Math.round(q.burst() / q.perSecond()));
    long reset = d.allowed() ? 0 : (d.retryAfterMs() + 999) / 1000;
    rc.response().putHeader("RateLimit-Policy", "\"" + d.scope() + "\";q=" + q.burst() + ";w=" + window);
    rc.response().putHeader("RateLimit", "\"" + d.scope() + "\";r=" + Math.max(0, d.remaining()) + ";t=" + reset);
  }
}
