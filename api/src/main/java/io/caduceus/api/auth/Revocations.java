package io.caduceus.api.auth;

import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Ended sessions and suspended tenants, as Redis flags every node checks on every request (one MGET), so a
 * logout or a suspension takes effect on the next request anywhere. A session flag lives as long as the
 * longest access token it could have issued; a suspension flag lives until the tenant is reactivated.
 */
public final class Revocations {

  /** What the flags say about a request's session and tenant. */
  public record Standing(boolean sessionEnded, boolean tenantSuspended) {
  }

  private final RedisAPI redis;
  private final String prefix;
  private final Duration sessionFlagTtl;

  public Revocations(RedisAPI redis, String prefix, Duration accessTokenTtl) {
    this.redis = redis;
    this.prefix = prefix;
    this.sessionFlagTtl = accessTokenTtl.plusMinutes(1);
  }

  /** Marks sessions as ended. */
  public Future<Void> endSessions(Collection<UUID> sessions) {
    List<Future<Response>> sets = new ArrayList<>();
    for (UUID session : sessions) {
      sets.add(redis.set(List.of(sessionKey(session), "1", "EX", String.valueOf(sessionFlagTtl.toSeconds()))));
    }
    return Future.all(sets).mapEmpty();
  }

  /** Marks a tenant as suspended. */
  public Future<Void> suspend(TenantId tenant) {
    return redis.set(List.of(tenantKey(tenant), "1")).mapEmpty();
  }

  /** Clears a tenant's suspension. */
  public Future<Void> reactivate(TenantId tenant) {
    return redis.del(List.of(tenantKey(tenant))).mapEmpty();
  }

  /** Reads both flags for one request. */
  public Future<Standing> standing(UUID session, TenantId tenant) {
    return redis.mget(List.of(sessionKey(session), tenantKey(tenant)))
        .map(r -> new Standing(r.get(0) != null, r.get(1) != null));
  }

  private String sessionKey(UUID session) {
    return prefix + "session-ended:" + session;
  }

  private String tenantKey(TenantId tenant) {
    return prefix + "tenant-suspended:" + tenant;
  }
}
