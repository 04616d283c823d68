package io.caduceus.api.engagement;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Replies;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The CRM operations: preventive-care rules, campaigns, surveys, secure messages, and the patient's side of them. */
public final class CrmHandlers {

  private final CareRuleService careRules;
  private final CampaignService campaigns;
  private final SurveyService surveys;
  private final Idempotency idempotency;
  private final SecureMessageService secureMessages;
  private final Clock clock;

  public CrmHandlers(CareRuleService careRules, CampaignService campaigns, SurveyService surveys,
                     SecureMessageService secureMessages, Idempotency idempotency, Clock clock) {
    this.secureMessages = secureMessages;
    this.careRules = careRules;
    this.campaigns = campaigns;
    this.surveys = surveys;
    this.idempotency = idempotency;
    this.clock = clock;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bindRaw("sendSecureMessage", rc -> post(rc, ctx -> secureMessages.send(ctx, Requests.pathUuid(rc, "patientId"),
            Requests.body(rc).getString("subject"), Requests.body(rc).getString("body"))
        .map(m -> Reply.created("/v1/patients/" + m.getString("patientId") + "/secure-messages/" + m.getString("id"), m)
            .about(UUID.fromString(m.getString("patientId"))))));
    ops.bindRaw("getSecureMessage", rc -> reply(rc, secureMessages.message(Requests.tenant(rc),
        Requests.pathUuid(rc, "patientId"), Requests.pathUuid(rc, "messageId"))));
    ops.bindRaw("listSecureMessages", rc -> reply(rc, secureMessages.thread(Requests.tenant(rc),
        Requests.pathUuid(rc, "patientId")).map(CrmHandlers::items)));
    ops.bindRaw("listMySecureMessages", rc -> reply(rc, secureMessages.thread(Requests.tenant(rc), null)
        .map(CrmHandlers::items)));
    ops.bindRaw("sendMySecureMessage", rc -> post(rc, ctx -> secureMessages.reply(ctx, Requests.body(rc).getString("subject"),
            Requests.body(rc).getString("body"))
        .map(m -> Reply.created("/v1/portal/secure-messages/" + m.getString("id"), m)
            .about(UUID.fromString(m.getString("patientId"))))));
    ops.bindRaw("getMySecureMessage", rc -> reply(rc, secureMessages.message(Requests.tenant(rc), null,
        Requests.pathUuid(rc, "messageId"))));
    ops.bindRaw("listCareRules", rc -> reply(rc, careRules.list(Requests.tenant(rc)).map(CrmHandlers::items)));
    ops.bindRaw("createCareRule", rc -> post(rc, ctx -> careRules.create(ctx, Requests.body(rc))
        .map(r -> Reply.created("/v1/engagement/care-rules/" + r.getString("id"), r))));
    ops.bindRaw("deleteCareRule", rc -> careRules.remove(Requests.tenant(rc), Requests.pathUuid(rc, "careRuleId"))
        .onSuccess(v -> Replies.send(rc, Reply.noContent())).onFailure(rc::fail));
    ops.bindRaw("listCampaigns", rc -> reply(rc, campaigns.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 50),
        Requests.queryString(rc, "cursor")).map(page -> page.toJson(c -> c))));
    ops.bindRaw("createCampaign", rc -> post(rc, ctx -> campaigns.create(ctx, Requests.body(rc))
        .map(c -> Reply.created("/v1/campaigns/" + c.getString("id"), c))));
    ops.bindRaw("getCampaign", rc -> reply(rc, campaigns.get(Requests.tenant(rc), Requests.pathUuid(rc, "campaignId"))));
    ops.bindRaw("cancelCampaign", rc -> post(rc, ctx -> campaigns.cancel(ctx, Requests.pathUuid(rc, "campaignId"))
        .map(Reply::ok)));
    ops.bindRaw("listSurveys", rc -> reply(rc, surveys.list(Requests.tenant(rc)).map(CrmHandlers::items)));
    ops.bindRaw("createSurvey", rc -> post(rc, ctx -> surveys.create(ctx, Requests.body(rc))
        .map(s -> Reply.created("/v1/surveys/" + s.getString("id"), s))));
    ops.bindRaw("getSurvey", rc -> reply(rc, surveys.get(Requests.tenant(rc), Requests.pathUuid(rc, "surveyId"))));
    ops.bindRaw("getSurveyResults", rc -> reply(rc, surveys.results(Requests.tenant(rc),
        Requests.pathUuid(rc, "surveyId"))));
    ops.bindRaw("listMySurveys", rc -> reply(rc, surveys.pending(Requests.tenant(rc)).map(CrmHandlers::items)));
    ops.bindRaw("answerSurvey", rc -> post(rc, ctx -> surveys.answer(ctx, Requests.pathUuid(rc, "invitationId"),
        Requests.body(rc).getJsonArray("answers"), clock.instant())
        .map(a -> Reply.created("/v1/portal/surveys/" + a.getString("invitationId") + "/answers", a))));
    ops.bindRaw("getMySurveyAnswers", rc -> reply(rc, surveys.answers(Requests.tenant(rc),
        Requests.pathUuid(rc, "invitationId"))));
  }

  private static JsonObject items(List<JsonObject> list) {
    return new JsonObject().put("items", new JsonArray(list));
  }

  private void post(RoutingContext rc, Function<TenantContext, Future<Reply>> action) {
    idempotency.inTenant(rc, Requests.tenant(rc), action)
        .onSuccess(reply -> Replies.send(rc, reply))
        .onFailure(rc::fail);
  }

  private static void reply(RoutingContext rc, Future<JsonObject> body) {
    body.onSuccess(json -> Replies.send(rc, Reply.ok(json))).onFailure(rc::fail);
  }
}
