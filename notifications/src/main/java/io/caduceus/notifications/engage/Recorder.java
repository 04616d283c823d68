package io.caduceus.notifications.engage;

import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The second half of a dispatch cycle: writes how each send ended. Every update is fenced by the attempt id, so a
 * dispatcher whose lease ran out (and whose send another dispatcher reconciled) changes nothing.
 */
final class Recorder {

  private final int maxAttempts;
  private final Duration retryBase;

  Recorder(int maxAttempts, Duration retryBase) {
    this.maxAttempts = maxAttempts;
    this.retryBase = retryBase;
  }

  /** Records {@code outcomes} on the tenant's open transaction. */
  Future<Void> record(SqlConnection conn, List<Outcome> outcomes, Instant now) {
    OffsetDateTime at = Timestamps.utc(now);
    List<Future<?>> writes = new ArrayList<>();
    List<String> goneTokens = new ArrayList<>();
    for (Outcome outcome : outcomes) {
      writes.add(write(conn, outcome, at, now));
      if (outcome instanceof Outcome.Sent s) {
        goneTokens.addAll(s.goneTokens());
      } else if (outcome instanceof Outcome.Retry r) {
        goneTokens.addAll(r.goneTokens());
      } else if (outcome instanceof Outcome.Gone g) {
        goneTokens.addAll(g.goneTokens());
      }
    }
    if (!goneTokens.isEmpty()) {
      writes.add(conn.preparedQuery(MessageSql.REMOVE_DEVICES).execute(Tuple.of((Object) goneTokens.toArray(String[]::new))));
    }
    return Future.all(writes).mapEmpty();
  }

  private Future<Void> write(SqlConnection conn, Outcome outcome, OffsetDateTime at, Instant now) {
    Attempt a = outcome.attempt();
    Tuple fence = Tuple.of(a.message().id(), a.attemptId());
    String channel = a.channel().wire();
    if (outcome instanceof Outcome.Sent s) {
      String sql = s.reconciled() ? MessageSql.SENT_RECONCILED : MessageSql.SENT;
      return fenced(conn, sql, fence.addString(s.receipt().provider()).addString(s.receipt().providerMessageId())
              .addValue(at))
          .compose(won -> won ? event(conn, a, at, "sent", channel,
              s.reconciled() ? "found at the provider after an interrupted send" : null) : Future.succeededFuture());
    }
    if (outcome instanceof Outcome.Retry r) {
      Instant next = now.plus(backoff(a.message().attempts()));
      return conn.preparedQuery(MessageSql.RETRY).execute(fence.addString(r.reason()).addValue(Timestamps.utc(next))
              .addInteger(maxAttempts).addValue(at))
          .compose(rows -> rows.size() == 0 ? Future.succeededFuture()
              : event(conn, a, at, rows.iterator().next().getString("status").equals("dead") ? "dead" : "retry",
                  channel, r.reason()));
    }
    if (outcome instanceof Outcome.Gone g) {
      return fenced(conn, MessageSql.GONE, fence.addString(g.reason()).addString(channel).addValue(at))
          .compose(won -> won ? event(conn, a, at, "channel_failed", channel, g.reason()) : Future.succeededFuture());
    }
    if (outcome instanceof Outcome.Failed f) {
      return fenced(conn, MessageSql.FAILED, fence.addString(f.reason()).addValue(at))
          .compose(won -> won ? event(conn, a, at, "failed", channel, f.reason()) : Future.succeededFuture());
    }
    Outcome.Throttled t = (Outcome.Throttled) outcome;
    return fenced(conn, MessageSql.THROTTLED, fence.addValue(Timestamps.utc(t.until())).addValue(at)).mapEmpty();
  }

  private static Future<Boolean> fenced(SqlConnection conn, String sql, Tuple args) {
    return conn.preparedQuery(sql).execute(args).map(rows -> rows.rowCount() > 0);
  }

  private static Future<Void> event(SqlConnection conn, Attempt a, OffsetDateTime at, String status, String channel,
                                    String detail) {
    return conn.preparedQuery(MessageSql.EVENT)
        .execute(Tuple.of(a.message().id(), UuidV7.next(), at, status, channel, detail)).mapEmpty();
  }

  /** Exponential backoff with full jitter, capped at an hour: base · 2^attempts, then a random share of it. */
  private Duration backoff(int attempts) {
    long ceiling = Math.min(3_600_000L, retryBase.toMillis() << Math.min(attempts, 20));
    return retryBase.plusMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling)));
  }
}
