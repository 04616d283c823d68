package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * CRM campaigns: a segment of the tenant's patients, content per channel, an optional survey, and a schedule (once
 * or cron). Running one creates a message per patient of the segment, keyed by campaign and run, so a run repeated
 * after a crash adds nothing; consent, quiet hours and caps apply to each message as to any other.
 */
public final class CampaignService {

  private final TenantDb db;
  private final Settings settings;
  private final Cursors cursors;
  private final Clock clock;
  private final String appLink;

  public CampaignService(TenantDb db, Settings settings, Cursors cursors, Clock clock, String appLink) {
    this.db = db;
    this.settings = settings;
    this.cursors = cursors;
    this.clock = clock;
    this.appLink = appLink;
  }

  /** Creates a campaign and schedules its first run. */
  public Future<JsonObject> create(TenantContext ctx, JsonObject body) {
    UUID id = UuidV7.next();
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> settings.find(conn).compose(rules -> {
          JsonObject content = body.getJsonObject("content");
          if (content.isEmpty()) {
            throw new Invalid("/content", "needs the wording of at least one channel");
          }
          for (Channel channel : Channel.values()) {
            JsonObject own = content.getJsonObject(channel.wire());
            if (own != null) {
              TemplateRules.check(Topic.CAMPAIGN, channel, own.getString("subject"), rules);
              TemplateRules.check(Topic.CAMPAIGN, channel, own.getString("body"), rules);
            }
          }
          JsonObject segment = body.getJsonObject("segment");
          Segments.parameters(segment);
          CampaignSchedule schedule = CampaignSchedule.from(body.getJsonObject("schedule"), rules.zone());
          String survey = body.getString("surveyId");
          return surveyExists(conn, survey).compose(x -> conn.preparedQuery(CampaignSql.INSERT).execute(Tuple.from(
              new Object[] {id, body.getString("name"), segment, content, survey == null ? null : UUID.fromString(survey),
                  schedule.toJson(), Timestamps.utc(schedule.first(clock.instant())), ctx.userId()})));
        }).map(rows -> json(rows.iterator().next()))));
  }

  /** One page of campaigns, newest first. */
  public Future<Page<JsonObject>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> {
          JsonObject after = cursor == null ? null : cursors.open(ctx, "campaigns", "", cursor);
          return db.once(ctx, conn -> conn.preparedQuery(CampaignSql.LIST).execute(Tuple.of(
              after == null ? null : Timestamps.utc(Instant.parse(after.getString("createdAt"))),
              after == null ? null : UUID.fromString(after.getString("id")), limit + 1)));
        })
        .map(rows -> {
          List<JsonObject> found = new ArrayList<>();
          rows.forEach(row -> found.add(json(row)));
          return Page.of(found, limit, last -> cursors.seal(ctx, "campaigns", "",
              new JsonObject().put("createdAt", last.getString("createdAt")).put("id", last.getString("id"))));
        });
  }

  /** One campaign, with its messages counted by status. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(CampaignSql.FIND).execute(Tuple.of(id))
            .compose(rows -> rows.size() == 0 ? Future.failedFuture(new NotFound("no such campaign"))
                : conn.preparedQuery(CampaignSql.COUNTS).execute(Tuple.of(id)).map(counts -> {
                  JsonObject byStatus = new JsonObject();
                  counts.forEach(c -> byStatus.put(c.getString("status"), c.getLong("n")));
                  return json(rows.iterator().next()).put("messages", byStatus);
                }))));
  }

  /** Cancels a scheduled campaign and its messages not yet sent. */
  public Future<JsonObject> cancel(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> conn.preparedQuery(CampaignSql.CANCEL).execute(Tuple.of(id))
            .compose(rows -> rows.size() == 1 ? conn.preparedQuery(CampaignSql.CANCEL_MESSAGES).execute(Tuple.of(id))
                .map(json(rows.iterator().next()))
                : conn.preparedQuery(CampaignSql.FIND).execute(Tuple.of(id)).compose(found -> Future.failedFuture(
                    found.size() == 0 ? new NotFound("no such campaign") : new Conflict("the campaign is not scheduled"))))));
  }

  /** Runs the tenant's due campaigns (those another node is not running) on its open transaction. */
  public Future<Integer> runDue(SqlConnection conn, Instant now) {
    return conn.preparedQuery(CampaignSql.DUE).execute(Tuple.of(Timestamps.utc(now))).compose(rows -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (Row row : rows) {
        total = total.compose(n -> run(conn, row, now).map(n + 1));
      }
      return total;
    });
  }

  private Future<Void> run(SqlConnection conn, Row campaign, Instant now) {
    UUID id = campaign.getUUID("id");
    Instant runAt = campaign.getOffsetDateTime("next_run_at").toInstant();
    List<Object> args = Segments.parameters(campaign.getJsonObject("segment"));
    args.add(id.toString());
    args.add(Long.toString(runAt.getEpochSecond()));
    args.add(Timestamps.utc(now));
    UUID survey = campaign.getUUID("survey_id");
    if (survey != null) {
      args.add(survey);
      args.add(appLink);
    }
    Instant next = CampaignSchedule.fromJson(campaign.getJsonObject("schedule")).next(now).orElse(null);
    return conn.preparedQuery(survey == null ? CampaignSql.RUN : CampaignSql.RUN_WITH_SURVEY).execute(Tuple.from(args))
        .compose(v -> conn.preparedQuery(CampaignSql.AFTER_RUN).execute(Tuple.of(id, Timestamps.utc(now),
            next == null ? null : Timestamps.utc(next))))
        .mapEmpty();
  }

  private static Future<Void> surveyExists(SqlConnection conn, String survey) {
    if (survey == null) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery("SELECT 1 FROM survey WHERE id = $1").execute(Tuple.of(UUID.fromString(survey)))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture() : Future.failedFuture(new NotFound("no such survey")));
  }

  static JsonObject json(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString()).put("name", row.getString("name"))
        .put("segment", row.getJsonObject("segment")).put("content", row.getJsonObject("content"))
        .put("surveyId", row.getUUID("survey_id") == null ? null : row.getUUID("survey_id").toString())
        .put("schedule", CampaignSchedule.fromJson(row.getJsonObject("schedule")).toJson()).put("status", row.getString("status"))
        .put("nextRunAt", time(row, "next_run_at")).put("lastRunAt", time(row, "last_run_at"))
        .put("runs", row.getInteger("runs")).put("createdAt", time(row, "created_at"));
  }

  private static String time(Row row, String column) {
    return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant().toString();
  }
}
