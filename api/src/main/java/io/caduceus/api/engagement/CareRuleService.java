package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.crm.CareRule;
import io.caduceus.notifications.crm.CareRules;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Preventive-care rules ("no HbA1c in 6 months for patients with E11"): the tenant keeps them, and the scheduler
 * reminds each matching patient at most once a month per rule.
 */
public final class CareRuleService {

  private final TenantDb db;
  private final Messages messages;
  private final CareRules rules = new CareRules();
  private final EngagementPatientRepository patients = new EngagementPatientRepository();

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
        total = total.compose(n -> patients.dueForCare(conn, rule, now)
            .compose(due -> messages.enqueueCareReminders(conn, rule.id(), month, due, now))
            .map(created -> n + created));
      }
      return total;
    });
  }

  private static JsonObject json(CareRule rule) {
    return new JsonObject().put("id", rule.id().toString()).put("name", rule.name())
        .put("diagnosisPrefix", rule.diagnosisPrefix()).put("loincCode", rule.loincCode())
        .put("intervalMonths", rule.intervalMonths()).put("createdAt", rule.createdAt().toString());
  }
}
