package io.caduceus.api.auth;

import io.caduceus.routing.RareWarning;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.UUID;

/**
 * Ended sessions and suspended tenants, checked on every request. The control plane is the truth (a session has
 * ended when its row says so, a tenant is suspended when its status does); Redis holds flags that every node reads
 * in one MGET, so a logout or a suspension takes effect on the next request anywhere without a database read.
 *
 * <p>While Redis is unreachable, or its flags cannot be trusted ({@link RevocationSync}), each request asks the
 * control plane instead: a Redis outage, restart or flush never brings an ended session back and never stops the
 * API. Flag writes are best effort for the same reason: the change is already in the control plane, and the sync
 * writes any flag that is missing.
 */
public final class Revocations {

  private static final RareWarning UNAVAILABLE = new RareWarning(LoggerFactory.getLogger(Revocations.class), 10_000);

  /**
   * Whether a request's session has ended, whether its tenant is suspended (or otherwise not active), and the
   * tenant's access version ({@code 0}: it never defined a role nor granted anything), which says whether the
   * member's cached tenant roles and grants are current ({@link io.caduceus.api.access.MemberAccesses}).
   */
  public record Standing(boolean sessionEnded, boolean tenantSuspended, long accessVersion) {
  }

  private final RevocationFlags flags;
  private final RevocationSync sync;
  private final SessionRepository sessions;

  private Revocations(RevocationFlags flags, RevocationSync sync, SessionRepository sessions) {
    this.flags = flags;
    this.sync = sync;
    this.sessions = sessions;
  }

  /** Revocation over Redis flags (keys under {@code prefix}) and the control plane's sessions. */
  public static Revocations create(Redis redis, String prefix, Duration accessTokenTtl, SessionRepository sessions) {
    RevocationFlags flags = new RevocationFlags(redis, prefix, accessTokenTtl);
    return new Revocations(flags, new RevocationSync(flags, sessions), sessions);
  }

  /** The sync that keeps the flags complete; a node starts it once. */
  public RevocationSync sync() {
    return sync;
  }

  /** Flags sessions that have just ended in the control plane. */
  public Future<Void> endSessions(Collection<UUID> ended) {
    if (ended.isEmpty()) {
      return Future.succeededFuture();
    }
    return flags.endSessions(ended).recover(e -> {
      // This node now knows Redis lacks a flag: it asks the control plane until the sync has written it.
      sync.distrust(e);
      return Future.succeededFuture();
    });
  }

  /** Flags a tenant just suspended in the control plane. */
  public Future<Void> suspend(TenantId tenant) {
    return flags.suspend(tenant).recover(e -> skipped("suspension", e));
  }

  /**
   * Publishes a tenant's access version just committed in the control plane. If Redis cannot take it, this node
   * asks the control plane until the sync has written it (other nodes' sync passes write it within a second).
   */
  public Future<Void> accessChanged(TenantId tenant, long version) {
    return flags.accessChanged(tenant, version).recover(e -> {
      sync.distrust(e);
      return Future.succeededFuture();
    });
  }

  /** Clears the flag of a tenant just reactivated in the control plane (a flag left behind expires by itself). */
  public Future<Void> reactivate(TenantId tenant) {
    return flags.reactivate(tenant).recover(e -> skipped("reactivation", e));
  }

  /**
   * Reads both for one request: from the Redis flags when they can be trusted, else from the control plane. A
   * suspension flag is a hint the caller confirms against the catalog; a session flag is final.
   */
  public Future<Standing> standing(UUID session, TenantId tenant) {
    if (!sync.trusted()) {
      return sessions.standing(session, tenant);
    }
    return flags.read(session, tenant).transform(read -> {
      if (read.succeeded() && read.result().complete()) {
        return Future.succeededFuture(new Standing(read.result().sessionEnded(), read.result().tenantSuspended(),
            read.result().accessVersion()));
      }
      sync.distrust(read.cause());
      return sessions.standing(session, tenant);
    });
  }

  private static Future<Void> skipped(String what, Throwable e) {
    UNAVAILABLE.warn("tenant {} flag not written, the catalog carries it: {}", what, e.getClass().getSimpleName());
    return Future.succeededFuture();
  }
}
