package io.caduceus.api.auth;

import io.caduceus.routing.RareWarning;
import io.caduceus.routing.RequestStage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisConnection;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the Redis revocation cache a faithful copy of the control plane, and tells this node whether to trust it.
 *
 * <p>Every second, a pass writes the flags of sessions ended since the last pass (a few seconds back, since a
 * revocation's time is when its statement began, not when it committed), so a revocation whose own flag write
 * failed (Redis down or cut off from the node that made it) reaches the cache within a second of Redis answering.
 * After any Redis failure, a restart (a new run id) or on start-up, a pass rewrites every flag that can still
 * matter (the access tokens' lifetime back): a restarted Redis may have reloaded an old file. If the completeness
 * marker is gone (flushed, or restarted empty), one node at a time rewrites every flag and then sets it again.
 * Until a pass has succeeded, {@link Revocations} asks the control plane instead of Redis. Tenants' access versions
 * (roles and grants, issue 15) ride along: each pass writes those changed since the last one, a full pass every one,
 * before the marker is set, so while it is there a missing version means the tenant has none.
 *
 * <p>Each node also keeps one idle connection of its own to Redis, opened before a pass reads anything: when it
 * ends (Redis stopped, restarted or cut off), the node distrusts the cache at once. Without it, a node that had no
 * traffic during a short outage could trust a restarted Redis that reloaded its file but lacks a logout made
 * meanwhile, until its next pass.
 *
 * <p>A pass runs on the context of {@link #start}, one at a time; only {@link #trusted} is read elsewhere.
 */
public final class RevocationSync {

  private static final RareWarning UNAVAILABLE = new RareWarning(LoggerFactory.getLogger(RevocationSync.class),
      10_000);
  private static final Duration COMMIT_LAG = Duration.ofSeconds(10);
  private static final Duration WATCH_CONNECT = Duration.ofSeconds(1);

  private final RevocationFlags flags;
  private final SessionRepository sessions;
  private final String node = UUID.randomUUID().toString();
  private final AtomicBoolean trusted = new AtomicBoolean();
  private final AtomicLong failures = new AtomicLong();
  private final Map<UUID, Instant> written = new HashMap<>();
  private volatile Context context;
  private RedisConnection watch;
  private volatile boolean stopped;
  private long timer = -1;
  private Future<Boolean> running;
  private Instant since;
  private String instance;

  RevocationSync(RevocationFlags flags, SessionRepository sessions) {
    this.flags = flags;
    this.sessions = sessions;
  }

  /** Starts the passes on the caller's context, the first at once. */
  public void start(Vertx vertx, Duration every) {
    context = vertx.getOrCreateContext();
    timer = vertx.setPeriodic(1, every.toMillis(), id -> pass());
  }

  /** Stops the passes and closes the watch connection. */
  public void stop(Vertx vertx) {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Context passes = context;
    if (passes != null) {
      passes.runOnContext(v -> {
        if (watch != null) {
          watch.close();
          watch = null;
        }
      });
    }
  }

  /** Whether the Redis flags can be trusted now. */
  public boolean trusted() {
    return trusted.get();
  }

  /** Redis failed or lost the flags: ask the control plane until a pass has written them again. */
  void distrust(Throwable cause) {
    failures.incrementAndGet();
    if (trusted.compareAndSet(true, false)) {
      UNAVAILABLE.warn("revocation cache distrusted, checking sessions in the control plane: {}",
          cause == null ? "flags incomplete" : cause.getClass().getSimpleName());
      Context passes = context;
      if (passes != null) {
        passes.runOnContext(v -> pass());
      }
    }
  }

  /** Runs one pass (or joins the one running); its outcome is whether the flags can be trusted. */
  Future<Boolean> pass() {
    if (running != null) {
      return running;
    }
    if (stopped) {
      return Future.succeededFuture(false);
    }
    long failuresBefore = failures.get();
    Promise<Boolean> outcome = Promise.promise();
    running = outcome.future();
    RequestStage.start("revocation sync").of(RequestStage.BACKGROUND, null).until(running);
    watching()
        .compose(v -> flags.state())
        .compose(state -> state.complete() ? catchUp(state.instance()) : rewrite(state.instance()))
        .onComplete(done -> {
          if (done.failed()) {
            UNAVAILABLE.warn("revocation cache pass failed: {}", done.cause().getClass().getSimpleName());
          }
          boolean ok = done.succeeded() && done.result();
          trusted.set(ok);
          // A failure seen meanwhile (a flag this pass may not have read) leaves the cache distrusted. Checked
          // after the set: a distrust() that found the cache untrusted before it did has counted by now.
          if (ok && failures.get() != failuresBefore) {
            trusted.set(false);
            ok = false;
          }
          if (!ok) {
            since = null;
            written.clear();
          }
          running = null;
          outcome.complete(ok);
        });
    return outcome.future();
  }

  /** Opens the watch connection if there is none; its end distrusts the cache. */
  private Future<Void> watching() {
    if (watch != null) {
      return Future.succeededFuture();
    }
    Future<RedisConnection> connecting = flags.connect();
    return connecting.timeout(WATCH_CONNECT.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(late -> connecting.onSuccess(RedisConnection::close))
        .map(connection -> {
          watch = connection;
          connection.endHandler(v -> lost(connection));
          connection.exceptionHandler(e -> lost(connection));
          return null;
        });
  }

  private void lost(RedisConnection connection) {
    if (stopped) {
      return;
    }
    distrust(null);
    context.runOnContext(v -> {
      if (watch == connection) {
        watch = null;
        connection.close();
      }
    });
  }

  /** Writes the flags of sessions ended since the last pass (all that can matter unless the last one succeeded). */
  private Future<Boolean> catchUp(String current) {
    if (!trusted.get() || !current.equals(instance)) {
      since = null;
      written.clear();
    }
    Instant from = since == null ? null : since.minus(COMMIT_LAG);
    return sessions.endedSince(from, flags.sessionFlagLife()).compose(batch -> {
      List<SessionRepository.Ended> fresh = batch.sessions().stream()
          .filter(e -> !e.at().equals(written.get(e.id()))).toList();
      return flags.endSessions(fresh, batch.now())
          .compose(v -> sessions.accessVersionsSince(from)).compose(flags::accessChanged)
          .compose(v -> flags.state())
          .map(after -> {
            // Flushed or restarted while the flags were written: the next pass starts over.
            if (!after.complete() || !after.instance().equals(current)) {
              return false;
            }
            remember(fresh, batch.now(), current);
            return true;
          });
    });
  }

  /** Rewrites every flag that can matter and sets the marker; false while another node is doing so. */
  private Future<Boolean> rewrite(String current) {
    return flags.claimRewrite(node).compose(claimed -> !claimed ? Future.succeededFuture(false)
        : sessions.endedSince(null, flags.sessionFlagLife()).compose(batch -> flags.endSessions(batch.sessions(),
                batch.now())
            .compose(v -> sessions.accessVersionsSince(null)).compose(flags::accessChanged)
            .compose(v -> flags.completeRewrite(node))
            .map(complete -> {
              if (complete) {
                written.clear();
                remember(batch.sessions(), batch.now(), current);
              }
              return complete;
            })));
  }

  private void remember(List<SessionRepository.Ended> ended, Instant now, String current) {
    ended.forEach(e -> written.put(e.id(), e.at()));
    since = now;
    instance = current;
    Instant oldest = now.minus(COMMIT_LAG).minusSeconds(1);
    written.values().removeIf(at -> at.isBefore(oldest));
  }
}
