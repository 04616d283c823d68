package io.caduceus.api.tiers;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;

import java.time.Duration;
import java.time.OffsetDateTime;

/** What tier moves and tenant jobs (exports, imports, offboardings) share: their JSON, their failures, waiting. */
final class TenantJobs {

  private TenantJobs() {
  }

  /** A move or job row as the contract shows it; the columns one of them lacks are left out. */
  static JsonObject json(Row row) {
    JsonObject out = new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("tenantId", row.getUUID("tenant_id").toString());
    for (String[] optional : new String[][] {{"kind", "kind"}, {"from_tier", "fromTier"}, {"to_tier", "toTier"}}) {
      if (row.getColumnIndex(optional[0]) >= 0) {
        out.put(optional[1], row.getString(optional[0]));
      }
    }
    out.put("state", row.getString("state"))
        .put("step", row.getString("step"))
        .put("progress", row.getJsonObject("progress"));
    if (row.getColumnIndex("sha256") >= 0) {
      out.put("sha256", row.getString("sha256"));
    }
    OffsetDateTime finished = row.getOffsetDateTime("finished_at");
    return out.put("failure", row.getString("failure"))
        .put("startedAt", row.getOffsetDateTime("started_at").toInstant().toString())
        .put("finishedAt", finished == null ? null : finished.toInstant().toString());
  }

  /**
   * Why a job stopped, fit for the job's record and the log: our own messages name a step or a table, while a
   * driver's message may quote data, so only its SQLSTATE is kept.
   */
  static String reason(Throwable failure) {
    if (failure instanceof PgException pg) {
      return "database error " + pg.getSqlState();
    }
    if ((failure instanceof IllegalStateException || failure instanceof IllegalArgumentException)
        && failure.getMessage() != null) {
      return failure.getMessage();
    }
    return failure.getClass().getSimpleName();
  }

  /** Completes after {@code duration}. */
  static Future<Void> after(Vertx vertx, Duration duration) {
    Promise<Void> waited = Promise.promise();
    vertx.setTimer(Math.max(1, duration.toMillis()), t -> waited.complete());
    return waited.future();
  }
}
