package io.caduceus.notifications.engage;

import io.caduceus.notifications.template.Rendered;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The planner's decisions for one batch, written as a few batched statements: sends marked 'sending', deferrals,
 * closed messages, and a history event for each.
 */
final class Writes {

  private final OffsetDateTime now;
  private final List<Tuple> sending = new ArrayList<>();
  private final List<Tuple> deferred = new ArrayList<>();
  private final List<Tuple> closed = new ArrayList<>();
  private final List<Tuple> events = new ArrayList<>();

  Writes(Instant now) {
    this.now = Timestamps.utc(now);
  }

  /** Marks the attempt 'sending'; {@code stored} is its words as the message keeps them (no sealed link). */
  void sending(Attempt a, Rendered stored, Instant leaseUntil, String hint, boolean critical) {
    sending.add(Tuple.of(a.message().id(), a.channel().wire(), a.attemptId(), Timestamps.utc(leaseUntil),
        a.reconcile() ? Timestamps.utc(a.sendingSince()) : null, now, stored.toJson(), hint, critical));
    event(a.message().id(), a.reconcile() ? "reconciling" : "sending", a.channel().wire(),
        !a.reconcile() ? hint : a.message().orphaned() ? "the previous dispatcher stopped during the send"
            : "the last attempt's outcome is unknown: checking the provider before sending again");
  }

  void defer(Message m, Instant until, String reason) {
    deferred.add(Tuple.of(m.id(), Timestamps.utc(until), now));
    event(m.id(), "deferred", null, reason + " until " + until);
  }

  void close(Message m, MessageStatus status, String reason) {
    closed.add(Tuple.of(m.id(), status.wire(), reason, now));
    event(m.id(), status.wire(), null, reason);
  }

  void event(UUID message, String status, String channel, String detail) {
    events.add(Tuple.of(message, UuidV7.next(), now, status, channel, detail));
  }

  /** Runs the batched statements on the open transaction. */
  Future<Void> apply(SqlConnection conn) {
    return batch(conn, MessageSql.MARK_SENDING, sending)
        .compose(v -> batch(conn, MessageSql.DEFER, deferred))
        .compose(v -> batch(conn, MessageSql.CLOSE, closed))
        .compose(v -> batch(conn, MessageSql.EVENT, events));
  }

  static Future<Void> batch(SqlConnection conn, String sql, List<Tuple> tuples) {
    return tuples.isEmpty() ? Future.succeededFuture()
        : conn.preparedQuery(sql).executeBatch(tuples).mapEmpty();
  }
}
