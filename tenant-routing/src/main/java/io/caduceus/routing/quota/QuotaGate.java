package io.caduceus.routing.quota;

import io.vertx.core.Future;
import io.caduceus.routing.RareWarning;
import org.slf4j.LoggerFactory;

/**
 * Checks a request's cost against its tenant's quota and its user's, in Redis so every node shares them. If Redis
 * cannot answer, the {@link Fallback} decides: keep serving under a per-node limiter (the default), serve without
 * limits, or refuse.
 */
public final class QuotaGate {

  private static final RareWarning UNAVAILABLE = new RareWarning(LoggerFactory.getLogger(QuotaGate.class), 10_000);

  /** What to do while Redis is unreachable. */
  public enum Fallback {
    /** Enforce each quota divided by the expected number of nodes, in this node's memory. */
    LOCAL,
    /** Serve without quotas. */
    ALLOW,
    /** Refuse (the API answers 503). */
    DENY
  }

  /** The answer: allowed or not, and the figures for the RateLimit headers of the tighter of the two quotas. */
  public record Decision(boolean allowed, long retryAfterMs, long remaining, Quota quota, String scope,
                         boolean degraded) {
  }

  private final Gcra gcra;
  private final LocalGcra local = new LocalGcra();
  private final String prefix;
  private final Fallback fallback;
  private final int expectedNodes;

  public QuotaGate(Gcra gcra, String prefix, Fallback fallback, int expectedNodes) {
    this.gcra = gcra;
    this.prefix = prefix;
    this.fallback = fallback;
    this.expectedNodes = Math.max(1, expectedNodes);
  }

  /** Spends {@code cost} from the tenant's quota and the user's; both must allow it. */
  public Future<Decision> take(String tenant, Quota tenantQuota, String user, Quota userQuota, int cost) {
    String tenantKey = prefix + "quota:t:{" + tenant + "}";
    String userKey = prefix + "quota:u:{" + tenant + "}:" + user;
    Future<Gcra.Verdict> forTenant = gcra.take(tenantKey, tenantQuota.perSecond(), tenantQuota.burst(), cost);
    Future<Gcra.Verdict> forUser = gcra.take(userKey, userQuota.perSecond(), userQuota.burst(), cost);
    return Future.all(forTenant, forUser)
        .map(both -> decide(forTenant.result(), tenantQuota, forUser.result(), userQuota, false))
        .recover(e -> degraded(e, tenantKey, tenantQuota, userKey, userQuota, cost));
  }

  private Future<Decision> degraded(Throwable e, String tenantKey, Quota tenantQuota, String userKey, Quota userQuota,
                                    int cost) {
    UNAVAILABLE.warn("quota store unavailable, fallback {}: {}", fallback, e.getClass().getSimpleName());
    return switch (fallback) {
      case ALLOW -> Future.succeededFuture(new Decision(true, 0, tenantQuota.burst(), tenantQuota, "tenant", true));
      case DENY -> Future.failedFuture(new QuotaUnavailable());
      case LOCAL -> {
        long now = System.currentTimeMillis();
        Quota tenantShare = share(tenantQuota);
        Quota userShare = share(userQuota);
        Gcra.Verdict t = local.take(tenantKey, tenantShare.perSecond(), tenantShare.burst(), cost, now);
        Gcra.Verdict u = local.take(userKey, userShare.perSecond(), userShare.burst(), cost, now);
        yield Future.succeededFuture(decide(t, tenantShare, u, userShare, true));
      }
    };
  }

  private Quota share(Quota quota) {
    return new Quota(quota.perSecond() / expectedNodes, Math.max(1, quota.burst() / expectedNodes));
  }

  private static Decision decide(Gcra.Verdict t, Quota tq, Gcra.Verdict u, Quota uq, boolean degraded) {
    if (!t.allowed() || !u.allowed()) {
      boolean tenantRefused = !t.allowed() && (u.allowed() || t.retryAfterMs() >= u.retryAfterMs());
      return tenantRefused ? new Decision(false, t.retryAfterMs(), 0, tq, "tenant", degraded)
          : new Decision(false, u.retryAfterMs(), 0, uq, "user", degraded);
    }
    return t.remaining() <= u.remaining() ? new Decision(true, 0, t.remaining(), tq, "tenant", degraded)
        : new Decision(true, 0, u.remaining(), uq, "user", degraded);
  }

  /** Redis is down and the fallback is to refuse. */
  public static final class QuotaUnavailable extends RuntimeException {
    QuotaUnavailable() {
      super("quota store unavailable", null, false, false);
    }
  }
}
