package io.caduceus.notifications.crm;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The tenant's preventive-care rules, on the caller's tenant transaction. */
public final class CareRules {

  private static final String INSERT = """
      INSERT INTO care_rule (tenant_id, id, name, diagnosis_prefix, loinc_code, interval_months)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5)
      RETURNING %s""".formatted(CareRule.COLUMNS);
  private static final String LIST = "SELECT " + CareRule.COLUMNS + " FROM care_rule ORDER BY created_at";
  private static final String DELETE = "DELETE FROM care_rule WHERE id = $1";

  /** The tenant's rules, oldest first. */
  public Future<List<CareRule>> list(SqlConnection conn) {
    return conn.query(LIST).execute().map(rows -> {
      List<CareRule> all = new ArrayList<>();
      rows.forEach(row -> all.add(CareRule.fromRow(row)));
      return all;
    });
  }

  /** Stores a rule. */
  public Future<CareRule> create(SqlConnection conn, UUID id, String name, String diagnosisPrefix, String loincCode,
                                 Integer intervalMonths) {
    return conn.preparedQuery(INSERT).execute(Tuple.of(id, name, diagnosisPrefix, loincCode, intervalMonths))
        .map(rows -> CareRule.fromRow(rows.iterator().next()));
  }

  /** Removes a rule; false if the tenant has no such rule. */
  public Future<Boolean> remove(SqlConnection conn, UUID id) {
    return conn.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
  }
}
