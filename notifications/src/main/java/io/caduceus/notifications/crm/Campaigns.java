package io.caduceus.notifications.crm;

import io.caduceus.routing.Keyset;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant's CRM campaigns, on the caller's tenant transaction: storing them, paging them, cancelling them with
 * their unsent messages, and claiming the due ones (those another node is not running).
 */
public final class Campaigns {

  private static final String INSERT = """
      INSERT INTO campaign (tenant_id, id, name, segment, content, survey_id, schedule, next_run_at, created_by)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING %s""".formatted(Campaign.COLUMNS);
  private static final String FIND = "SELECT " + Campaign.COLUMNS + " FROM campaign WHERE id = $1";
  private static final String PAGE = """
      SELECT %s
      FROM campaign
      WHERE %s
      ORDER BY created_at DESC, id DESC
      LIMIT $3""".formatted(Campaign.COLUMNS, Keyset.before("created_at", "id", 1, 2));
  private static final String COUNTS = """
      SELECT status, count(*) AS n
      FROM message
      WHERE campaign_id = $1
      GROUP BY status""";
  private static final String CANCEL = """
      UPDATE campaign
      SET status = 'cancelled', next_run_at = NULL
      WHERE id = $1 AND status = 'scheduled'
      RETURNING %s""".formatted(Campaign.COLUMNS);
  private static final String CANCEL_MESSAGES = """
      UPDATE message
      SET status = 'cancelled', last_error = 'the campaign was cancelled', updated_at = now()
      WHERE campaign_id = $1 AND status = 'queued'""";
  private static final String DUE = """
      SELECT %s
      FROM campaign
      WHERE status = 'scheduled' AND next_run_at <= $1 AND ($2 OR survey_id IS NULL)
      ORDER BY next_run_at
      LIMIT 10
      FOR UPDATE SKIP LOCKED""".formatted(Campaign.COLUMNS);
  private static final String AFTER_RUN = """
      UPDATE campaign
      SET runs = runs + 1, last_run_at = $2, next_run_at = $3,
        status = CASE WHEN $3::timestamptz IS NULL THEN 'completed' ELSE 'scheduled' END
      WHERE id = $1""";

  /** Stores a new campaign, scheduled for its first run. */
  public Future<Campaign> create(SqlConnection conn, NewCampaign c) {
    return conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {c.id(), c.name(), c.segment(), c.content(),
            c.surveyId(), c.schedule(), Timestamps.utc(c.firstRunAt()), c.createdBy()}))
        .map(rows -> Campaign.fromRow(rows.iterator().next()));
  }

  /** The campaign, if it is the tenant's. */
  public Future<Optional<Campaign>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(FIND).execute(Tuple.of(id)).map(Campaigns::first);
  }

  /** Up to {@code limit} campaigns, newest first, after the keyset ({@code createdBefore}, {@code idBefore}). */
  public Future<List<Campaign>> page(SqlConnection conn, Instant createdBefore, UUID idBefore, int limit) {
    return conn.preparedQuery(PAGE).execute(Tuple.of(createdBefore == null ? null : Timestamps.utc(createdBefore),
        idBefore, limit)).map(Campaigns::all);
  }

  /** The campaign's messages counted by status. */
  public Future<Map<String, Long>> messageCounts(SqlConnection conn, UUID id) {
    return conn.preparedQuery(COUNTS).execute(Tuple.of(id)).map(rows -> {
      Map<String, Long> byStatus = new LinkedHashMap<>();
      rows.forEach(row -> byStatus.put(row.getString("status"), row.getLong("n")));
      return byStatus;
    });
  }

  /** Cancels the campaign and its queued messages if it is scheduled; empty if it is not (or not found). */
  public Future<Optional<Campaign>> cancel(SqlConnection conn, UUID id) {
    return conn.preparedQuery(CANCEL).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.succeededFuture(Optional.<Campaign>empty())
        : conn.preparedQuery(CANCEL_MESSAGES).execute(Tuple.of(id)).map(first(rows)));
  }

  /**
   * Claims the scheduled campaigns due at {@code now}, locked for this transaction; those that carry a survey only
   * {@code withSurveys} (the others stay due, untouched, until a claim that may take them).
   */
  public Future<List<Campaign>> claimDue(SqlConnection conn, Instant now, boolean withSurveys) {
    return conn.preparedQuery(DUE).execute(Tuple.of(Timestamps.utc(now), withSurveys)).map(Campaigns::all);
  }

  /** Records a run at {@code now}; a null {@code next} completes the campaign. */
  public Future<Void> ran(SqlConnection conn, UUID id, Instant now, Instant next) {
    return conn.preparedQuery(AFTER_RUN).execute(Tuple.of(id, Timestamps.utc(now),
        next == null ? null : Timestamps.utc(next))).mapEmpty();
  }

  private static Optional<Campaign> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Campaign.fromRow(rows.iterator().next()));
  }

  private static List<Campaign> all(RowSet<Row> rows) {
    List<Campaign> all = new ArrayList<>();
    rows.forEach(row -> all.add(Campaign.fromRow(row)));
    return all;
  }
}
