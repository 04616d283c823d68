package io.caduceus.api.billing;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/** The clinic's fee schedule rows, as the contract's {@code Fee}; it runs on the connection it is given. */
final class FeeRepository {

  /** Fees by code, after {@code afterCode} (from the start if null). */
  Future<List<JsonObject>> list(SqlConnection conn, String afterCode, int limit) {
    return conn.preparedQuery(BillingSql.FEE_LIST).execute(Tuple.of(afterCode, limit))
        .map(rows -> Rows.list(rows, FeeRepository::json));
  }

  /** Sets the fee of a code, creating or replacing it. */
  Future<FeeService.Fee> put(SqlConnection conn, TenantContext ctx, String cptCode, String display, Long amountCents,
                             String currency) {
    return conn.preparedQuery(BillingSql.FEE_PUT)
        .execute(Tuple.of(ctx.tenantId().value(), cptCode, display, amountCents, currency))
        .map(rows -> rows.iterator().next())
        .map(row -> new FeeService.Fee(json(row), row.getBoolean("created")));
  }

  /** Takes a code off the schedule; false if it was not on it. */
  Future<Boolean> delete(SqlConnection conn, String cptCode) {
    return conn.preparedQuery(BillingSql.FEE_DELETE).execute(Tuple.of(cptCode)).map(rows -> rows.rowCount() == 1);
  }

  private static JsonObject json(Row row) {
    return new JsonObject().put("cptCode", row.getString("cpt_code")).put("display", row.getString("display"))
        .put("amountCents", row.getLong("amount_cents")).put("currency", row.getString("currency"))
        .put("updatedAt", row.getOffsetDateTime("updated_at").toInstant().toString());
  }
}
