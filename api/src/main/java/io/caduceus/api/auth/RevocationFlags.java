package io.caduceus.api.auth;

import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The Redis side of revocation, a cache of the control plane: a flag per ended session (kept as long as an access
 * token of it could still be presented), a flag per suspended tenant (kept a minute, longer than any node's
 * catalog cache takes to learn the suspension from the control plane), and a marker saying the session flags are
 * complete. Redis can lose any of it (a restart without persistence, {@code FLUSHALL}); a missing marker then
 * tells every node not to trust the flags until they are written again from the control plane.
 */
final class RevocationFlags {

  /** What one request's read found: its session's flag, its tenant's, and whether the flags are complete. */
  record Read(boolean sessionEnded, boolean tenantSuspended, boolean complete, long accessVersion) {
  }

  /** Whether the flags are complete, and which Redis process holds them (a new one after every restart). */
  record State(boolean complete, String instance) {
  }

  private static final Duration SUSPENSION_FLAG_LIFE = Duration.ofMinutes(1);
  private static final int WRITES_AT_ONCE = 256;
  // KEYS: the warming claim. ARGV: this node's token, the claim's life in seconds.
  private static final String CLAIM = """
      local v = redis.call('GET', KEYS[1])
      if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) return 1 end return 0""";
  // KEYS: the warming claim, the completeness marker. ARGV: this node's token. Fails if Redis lost the claim.
  private static final String COMPLETE = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then
      redis.call('SET', KEYS[2], ARGV[1]) redis.call('DEL', KEYS[1]) return 1 end return 0""";

  // KEYS: a tenant's access version. ARGV: a version just committed. Versions only go up, whoever writes last.
  private static final String RAISE = """
      local v = tonumber(redis.call('GET', KEYS[1]) or '0')
      if tonumber(ARGV[1]) > v then redis.call('SET', KEYS[1], ARGV[1]) end return 1""";

  private final Redis client;
  private final RedisAPI redis;
  private final String prefix;
  private final Duration sessionFlagLife;

  RevocationFlags(Redis client, String prefix, Duration accessTokenTtl) {
    this.client = client;
    this.redis = RedisAPI.api(client);
    this.prefix = prefix;
    this.sessionFlagLife = accessTokenTtl.plusMinutes(1);
  }

  /** How long after a session ended one of its access tokens could still be presented (and its flag is kept). */
  Duration sessionFlagLife() {
    return sessionFlagLife;
  }

  /** A connection of its own to Redis, whose end says Redis went away (a stop, a restart, a broken link). */
  Future<RedisConnection> connect() {
    return client.connect();
  }

  /**
   * Reads a request's flags, the marker and the tenant's access version in one round trip. While the marker is
   * there, a missing version is 0: the sync writes every version the control plane has before it sets the marker.
   */
  Future<Read> read(UUID session, TenantId tenant) {
    return redis.mget(List.of(sessionKey(session), tenantKey(tenant), completeKey(), accessKey(tenant)))
        .map(r -> new Read(r.get(0) != null, r.get(1) != null, r.get(2) != null,
            r.get(3) == null ? 0 : r.get(3).toLong()));
  }

  /** Raises a tenant's access version to {@code version}. */
  Future<Void> accessChanged(TenantId tenant, long version) {
    return redis.eval(List.of(RAISE, "1", accessKey(tenant), Long.toString(version))).mapEmpty();
  }

  /** Raises the access versions of many tenants. */
  Future<Void> accessChanged(List<SessionRepository.AccessVersion> versions) {
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < versions.size(); from += WRITES_AT_ONCE) {
      List<SessionRepository.AccessVersion> chunk = versions.subList(from, Math.min(versions.size(),
          from + WRITES_AT_ONCE));
      done = done.compose(v -> Future.all(chunk.stream()
          .map(a -> accessChanged(a.tenant(), a.version())).toList()).mapEmpty());
    }
    return done;
  }

  /** Flags sessions that ended just now. */
  Future<Void> endSessions(Collection<UUID> sessions) {
    List<List<String>> sets = new ArrayList<>();
    sessions.forEach(id -> sets.add(set(sessionKey(id), sessionFlagLife.toSeconds())));
    return setAll(sets);
  }

  /** Flags sessions that ended at the given times, each for what is left of its flag's life at {@code now}. */
  Future<Void> endSessions(List<SessionRepository.Ended> ended, Instant now) {
    List<List<String>> sets = new ArrayList<>();
    for (SessionRepository.Ended e : ended) {
      long left = Duration.between(now, e.at().plus(sessionFlagLife)).toSeconds();
      sets.add(set(sessionKey(e.id()), Math.max(1, left)));
    }
    return setAll(sets);
  }

  /** Flags a tenant as suspended. */
  Future<Void> suspend(TenantId tenant) {
    return redis.set(set(tenantKey(tenant), SUSPENSION_FLAG_LIFE.toSeconds())).mapEmpty();
  }

  /** Clears a tenant's suspension flag. */
  Future<Void> reactivate(TenantId tenant) {
    return redis.del(List.of(tenantKey(tenant))).mapEmpty();
  }

  /** Whether the marker is there, and the Redis process's run id (empty where INFO is not allowed). */
  Future<State> state() {
    Future<Response> marker = redis.get(completeKey());
    Future<String> instance = redis.info(List.of("server")).map(RevocationFlags::runId).otherwise("");
    return Future.all(marker, instance).map(both -> new State(marker.result() != null, instance.result()));
  }

  /** Claims the rewrite of every flag for {@code node}; false while another node holds the claim. */
  Future<Boolean> claimRewrite(String node) {
    return redis.eval(List.of(CLAIM, "1", warmingKey(), node, "60")).map(r -> r.toInteger() == 1);
  }

  /** Sets the marker if {@code node} still holds the claim (Redis did not lose it meanwhile). */
  Future<Boolean> completeRewrite(String node) {
    return redis.eval(List.of(COMPLETE, "2", warmingKey(), completeKey(), node)).map(r -> r.toInteger() == 1);
  }

  private Future<Void> setAll(List<List<String>> sets) {
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < sets.size(); from += WRITES_AT_ONCE) {
      List<List<String>> chunk = sets.subList(from, Math.min(sets.size(), from + WRITES_AT_ONCE));
      done = done.compose(v -> Future.all(chunk.stream().map(redis::set).toList()).mapEmpty());
    }
    return done;
  }

  private static List<String> set(String key, long seconds) {
    return List.of(key, "1", "EX", String.valueOf(seconds));
  }

  private static String runId(Response info) {
    for (String line : info.toString().split("\r?\n")) {
      if (line.startsWith("run_id:")) {
        return line.substring("run_id:".length()).trim();
      }
    }
    return "";
  }

  private String sessionKey(UUID session) {
    return prefix + "session-ended:" + session;
  }

  private String accessKey(TenantId tenant) {
    return prefix + "access-version:" + tenant;
  }

  private String tenantKey(TenantId tenant) {
    return prefix + "tenant-suspended:" + tenant;
  }

  // One hash tag for the marker and the claim, so the script that moves between them runs on a Redis Cluster too.
  private String completeKey() {
    return prefix + "{revocations}:complete";
  }

  private String warmingKey() {
    return prefix + "{revocations}:rewriting";
  }
}
