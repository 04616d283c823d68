package io.caduceus.notifications.outbox;

/** The relay's SQL, in one place. Each statement runs in the sending tenant's scope. */
final class RelaySql {

  static final String DUE_TENANTS = "SELECT {schema}.outbox_due_tenants($1::text[]) AS tenant_id";

  /**
   * The next messages to deliver: due, pending, of the topic families ({@code $1}), committed (below the snapshot's
   * xmin, so no earlier transaction can still add a message ahead of them), and each the earliest pending message of
   * its ordering key. Rows another relay holds are skipped, and so are the messages queued behind them. The
   * {@code NOT EXISTS} ends in {@code OFFSET 0}, which keeps it a probe of {@code outbox_event_family_order} per
   * candidate: as an anti join the planner could hash the tenant's pending messages by key and compare every pair of
   * one key's messages, so a backlog of n messages of one key cost n²/2 comparisons per claim (3,000 of them 316 ms
   * against 28 ms; a bench's 23,000 ran for minutes).
   */
  static final String CLAIM = """
      SELECT id, topic, ordering_key, payload, attempts
      FROM outbox_event e
      WHERE e.status = 'pending'
        AND e.family = ANY($1::text[])
        AND e.next_attempt_at <= now()
        AND e.txid < pg_snapshot_xmin(pg_current_snapshot())
        AND NOT EXISTS (SELECT 1 FROM outbox_event p WHERE p.tenant_id = e.tenant_id
          AND p.family = e.family AND p.ordering_key = e.ordering_key AND p.status = 'pending'
          AND (p.txid, p.id) < (e.txid, e.id) OFFSET 0)
      ORDER BY e.txid, e.id
      LIMIT $2
      FOR UPDATE SKIP LOCKED""";

  static final String DELIVERED = """
      UPDATE outbox_event
      SET status = 'dispatched', dispatched_at = now(), attempts = attempts + 1, last_error = NULL
      WHERE id = $1""";

  static final String RETRY = """
      UPDATE outbox_event
      SET attempts = attempts + 1, last_error = $2, next_attempt_at = now() + $3 * interval '1 millisecond',
        status = CASE WHEN attempts + 1 >= $4 THEN 'dead' ELSE 'pending' END
      WHERE id = $1""";

  /** A deferred message waits without spending an attempt ({@link Deferred}). */
  static final String DEFER = """
      UPDATE outbox_event
      SET last_error = $2, next_attempt_at = now() + $3 * interval '1 millisecond'
      WHERE id = $1""";

  static final String DEAD = """
      UPDATE outbox_event
      SET status = 'dead', attempts = attempts + 1, last_error = $2
      WHERE id = $1""";

  private RelaySql() {
  }
}
