package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.crm.Campaign;
import io.caduceus.notifications.crm.Campaigns;
import io.caduceus.notifications.crm.NewCampaign;
import io.caduceus.notifications.crm.Surveys;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.Instant;
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
  private final Messages messages;
  private final Cursors cursors;
  private final Clock clock;
  private final String appLink;
  private final Campaigns campaigns = new Campaigns();
  private final Surveys surveys = new Surveys();
  private final EngagementPatientRepository patients = new EngagementPatientRepository();

  public CampaignService(TenantDb db, Settings settings, Messages messages, Cursors cursors, Clock clock,
                         String appLink) {
    this.db = db;
    this.settings = settings;
    this.messages = messages;
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
          UUID survey = body.getString("surveyId") == null ? null : UUID.fromString(body.getString("surveyId"));
          return surveyExists(conn, survey).compose(x -> campaigns.create(conn, new NewCampaign(id,
              body.getString("name"), segment, content, survey, schedule.toJson(), schedule.first(clock.instant()),
              ctx.userId())));
        }).map(CampaignService::json)));
  }

  /** One page of campaigns, newest first. */
  public Future<Page<JsonObject>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> {
          JsonObject after = cursor == null ? null : cursors.open(ctx, "campaigns", "", cursor);
          return db.once(ctx, conn -> campaigns.page(conn,
              after == null ? null : Instant.parse(after.getString("createdAt")),
              after == null ? null : UUID.fromString(after.getString("id")), limit + 1));
        })
        .map(found -> Page.of(found.stream().map(CampaignService::json).toList(), limit,
            last -> cursors.seal(ctx, "campaigns", "",
                new JsonObject().put("createdAt", last.getString("createdAt")).put("id", last.getString("id")))));
  }

  /** One campaign, with its messages counted by status. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> campaigns.find(conn, id)
            .compose(found -> found.isEmpty() ? Future.failedFuture(new NotFound("no such campaign"))
                : campaigns.messageCounts(conn, id).map(counts -> {
                  JsonObject byStatus = new JsonObject();
                  counts.forEach(byStatus::put);
                  return json(found.get()).put("messages", byStatus);
                }))));
  }

  /** Cancels a scheduled campaign and its messages not yet sent. */
  public Future<JsonObject> cancel(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ENGAGEMENT_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> campaigns.cancel(conn, id)
            .compose(cancelled -> cancelled.isPresent() ? Future.succeededFuture(json(cancelled.get()))
                : campaigns.find(conn, id).compose(found -> Future.failedFuture(
                    found.isEmpty() ? new NotFound("no such campaign") : new Conflict("the campaign is not scheduled"))))));
  }

  /**
   * Runs the tenant's due campaigns (those another node is not running) on its open transaction; those carrying a
   * survey only {@code withSurveys} (the tenant's {@code surveys} module is on): the others stay due for a later run.
   */
  public Future<Integer> runDue(SqlConnection conn, Instant now, boolean withSurveys) {
    return campaigns.claimDue(conn, now, withSurveys).compose(due -> {
      Future<Integer> total = Future.succeededFuture(0);
      for (Campaign campaign : due) {
        total = total.compose(n -> run(conn, campaign, now).map(n + 1));
      }
      return total;
    });
  }

  private Future<Void> run(SqlConnection conn, Campaign campaign, Instant now) {
    String run = Long.toString(campaign.nextRunAt().getEpochSecond());
    Instant next = CampaignSchedule.fromJson(campaign.schedule()).next(now).orElse(null);
    return patients.inSegment(conn, Segments.parameters(campaign.segment()))
        .compose(members -> recipients(conn, campaign, run, members))
        .compose(recipients -> messages.enqueueCampaign(conn, campaign.id(), run, recipients, now))
        .compose(n -> campaigns.ran(conn, campaign.id(), now, next));
  }

  /** Each patient of the segment, or, for a campaign with a survey, each one newly invited by this run. */
  private Future<List<Messages.CampaignRecipient>> recipients(SqlConnection conn, Campaign campaign, String run,
                                                              List<UUID> patients) {
    if (campaign.surveyId() == null) {
      return Future.succeededFuture(patients.stream()
          .map(p -> new Messages.CampaignRecipient(p, new JsonObject())).toList());
    }
    return surveys.invite(conn, campaign.surveyId(), patients, "campaign:" + campaign.id() + ":" + run)
        .map(invited -> invited.stream().map(i -> new Messages.CampaignRecipient(i.patientId(),
            new JsonObject().put("link", appLink + "/surveys/" + i.id()))).toList());
  }

  private Future<Void> surveyExists(SqlConnection conn, UUID survey) {
    if (survey == null) {
      return Future.succeededFuture();
    }
    return surveys.find(conn, survey)
        .compose(found -> found.isPresent() ? Future.succeededFuture() : Future.failedFuture(new NotFound("no such survey")));
  }

  private static JsonObject json(Campaign c) {
    return new JsonObject().put("id", c.id().toString()).put("name", c.name())
        .put("segment", c.segment()).put("content", c.content())
        .put("surveyId", c.surveyId() == null ? null : c.surveyId().toString())
        .put("schedule", CampaignSchedule.fromJson(c.schedule()).toJson()).put("status", c.status())
        .put("nextRunAt", time(c.nextRunAt())).put("lastRunAt", time(c.lastRunAt()))
        .put("runs", c.runs()).put("createdAt", time(c.createdAt()));
  }

  private static String time(Instant at) {
    return at == null ? null : at.toString();
  }
}
