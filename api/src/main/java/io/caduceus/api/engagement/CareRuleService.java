package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.crm.CareRule;
import io.caduceus.notifications.crm.CareRules;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
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

  /** The patients a rule finds: a diagnosis under the prefix ($1) and no such lab result ($2) within $3 months. */
  private static final String DUE = "SELECT DISTINCT d.patient_id FROM diagnosis d"
      + " JOIN patient p ON p.tenant_id = d.tenant_id AND p.id = d.patient_id AND p.deleted_at IS NULL"
      + " WHERE d.code LIKE $1 || '%' AND NOT EXISTS (SELECT 1 FROM lab_result r WHERE r.patient_id = d.patient_id"
      + "   AND r.code = $2 AND r.resulted_at > $4::timestamptz - $3 * interval '1 month')";

  private final TenantDb db;
  private final Messages messages;
  private final CareRules rules = new CareRules();

  public CareRuleService(TenantDb db, Messages messages) {
    this.db = db;
    this.messages = messages;
  }

  /** The tenant's rules. */
  public Future<List<JsonObject>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.once(ctx, rules::list))
        .map(all -> all.stream().map(CareRuleService::json).toList());
  }

  /** Adds a rule. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> rules.create(conn, UuidV7.next(), body.getString("name"),
                body.getString("diagnosisPrefix"), body.getString("loincCode"), body.getInteger("intervalMonths"))
            .map(CareRuleService::json)));
  }

  /** Removes a rule; reminders already made stay. */
  public Future<Void> remove(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> rules.remove(conn, id)
            .compose(removed -> removed ? Future.<Void>succeededFuture()
                : Future.failedFuture(new NotFound("no such care rule")))));
  }

  /** Creates this month's reminders of every rule of the tenant, on its open transaction. */
  public Future<Integer> runAll(SqlConnection conn, Instant now) {
    String month = YearMonth.from(now.atOffset(ZoneOffset.UTC)).toString();
    return rules.list(conn).compose(all -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (CareRule rule : all) {
        total = total.compose(n -> due(conn, rule, now)
            .compose(patients -> messages.enqueueCareReminders(conn, rule.id(), month, patients, now))
            .map(created -> n + created));
      }
      return total;
    });
  }

  private static Future<List<UUID>> due(SqlConnection conn, CareRule rule, Instant now) {
    return conn.preparedQuery(DUE).execute(Tuple.of(rule.diagnosisPrefix(), rule.loincCode(), rule.intervalMonths(),
        Timestamps.utc(now))).map(rows -> {
          List<UUID> patients = new ArrayList<>();
          rows.forEach(row -> patients.add(row.getUUID("patient_id")));
          return patients;
        });
  }

  private static JsonObject json(CareRule rule) {
    return new JsonObject().put("id", rule.id().toString()).put("name", rule.name())
        .put("diagnosisPrefix", rule.diagnosisPrefix()).put("loincCode", rule.loincCode())
        .put("intervalMonths", rule.intervalMonths()).put("createdAt", rule.createdAt().toString());
  }
}
