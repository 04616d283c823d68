package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Preventive-care rules ("no HbA1c in 6 months for patients with E11"): the tenant keeps them, and the scheduler
 * reminds each matching patient at most once a month per rule.
 */
public final class CareRuleService {

  private static final String COLUMNS = "id, name, diagnosis_prefix, loinc_code, interval_months, created_at";
  private static final String INSERT = "INSERT INTO care_rule (tenant_id, id, name, diagnosis_prefix, loinc_code,"
      + " interval_months) VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5) RETURNING " + COLUMNS;
  private static final String LIST = "SELECT " + COLUMNS + " FROM care_rule ORDER BY created_at";
  private static final String DELETE = "DELETE FROM care_rule WHERE id = $1";
  /** A care.preventive message per patient the rule finds, keyed by rule, patient and month. */
  private static final String RUN = "WITH due AS (SELECT DISTINCT d.patient_id FROM diagnosis d"
      + "   JOIN patient p ON p.tenant_id = d.tenant_id AND p.id = d.patient_id AND p.deleted_at IS NULL"
      + "   WHERE d.code LIKE $2 || '%' AND NOT EXISTS (SELECT 1 FROM lab_result r WHERE r.patient_id = d.patient_id"
      + "     AND r.code = $3 AND r.resulted_at > $5::timestamptz - $4 * interval '1 month')),"
      + " ins AS (INSERT INTO message (tenant_id, id, idempotency_key, topic, category, source, subject_ref,"
      + "   recipient_kind, recipient_id, critical, next_attempt_at, created_at, updated_at)"
      + "   SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(),"
      + "     'care:' || $1::text || ':' || due.patient_id || ':' || $6::text, 'care.preventive', 'care_reminders',"
      + "     'reminder', $1::text, 'patient', due.patient_id, false, $5, $5, $5 FROM due"
      + "   ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id)"
      + " INSERT INTO message_event (tenant_id, message_id, id, at, status, channel, detail)"
      + " SELECT current_setting('app.tenant_id')::uuid, ins.id, gen_random_uuid(), $5, 'queued', NULL, 'care rule'"
      + " FROM ins";

  private final TenantDb db;

  public CareRuleService(TenantDb db) {
    this.db = db;
  }

  /** The tenant's rules. */
  public Future<List<JsonObject>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, conn -> conn.query(LIST).execute()))
        .map(rows -> {
          List<JsonObject> all = new ArrayList<>();
          rows.forEach(row -> all.add(json(row)));
          return all;
        });
  }

  /** Adds a rule. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(INSERT).execute(Tuple.of(UuidV7.next(),
                body.getString("name"), body.getString("diagnosisPrefix"), body.getString("loincCode"),
                body.getInteger("intervalMonths")))
            .map(rows -> json(rows.iterator().next()))));
  }

  /** Removes a rule; reminders already made stay. */
  public Future<Void> remove(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(DELETE).execute(Tuple.of(id))
            .compose(rows -> rows.rowCount() == 1 ? Future.<Void>succeededFuture()
                : Future.failedFuture(new NotFound("no such care rule")))));
  }

  /** Creates this month's reminders of every rule of the tenant, on its open transaction. */
  public Future<Integer> runAll(SqlConnection conn, Instant now) {
    String month = YearMonth.from(now.atOffset(ZoneOffset.UTC)).toString();
    return conn.query(LIST).execute().compose(rules -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (Row rule : rules) {
        total = total.compose(n -> conn.preparedQuery(RUN).execute(Tuple.of(rule.getUUID("id").toString(),
                rule.getString("diagnosis_prefix"), rule.getString("loinc_code"), rule.getInteger("interval_months"),
                Timestamps.utc(now), month))
            .map(rows -> n + rows.rowCount()));
      }
      return total;
    });
  }

  private static JsonObject json(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString()).put("name", row.getString("name"))
        .put("diagnosisPrefix", row.getString("diagnosis_prefix")).put("loincCode", row.getString("loinc_code"))
        .put("intervalMonths", row.getInteger("interval_months"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
