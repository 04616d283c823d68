package io.caduceus.api.engagement;

import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.UUID;

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
    ops.bind("sendSecureMessage", rc -> idempotency.inTransaction(rc, joined -> secureMessages.send(joined,
            Requests.pathUuid(rc, "patientId"), Requests.body(rc).getString("subject"),
            Requests.body(rc).getString("body"))
        .map(m -> sent("/v1/patients/" + m.getString("patientId") + "/secure-messages/", m))));
    ops.bind("getSecureMessage", rc -> secureMessages.message(Requests.tenant(rc), Requests.pathUuid(rc, "patientId"),
            Requests.pathUuid(rc, "messageId"))
        .map(Reply::ok));
    ops.bind("listSecureMessages", rc -> secureMessages.thread(Requests.tenant(rc), Requests.pathUuid(rc, "patientId"))
        .map(Reply::items));
    ops.bind("listMySecureMessages", rc -> secureMessages.thread(Requests.tenant(rc), null).map(Reply::items));
    ops.bind("sendMySecureMessage", rc -> idempotency.inTransaction(rc, joined -> secureMessages.reply(joined,
            Requests.body(rc).getString("subject"), Requests.body(rc).getString("body"))
        .map(m -> sent("/v1/portal/secure-messages/", m))));
    ops.bind("getMySecureMessage", rc -> secureMessages.message(Requests.tenant(rc), null,
            Requests.pathUuid(rc, "messageId"))
        .map(Reply::ok));
    ops.bind("listCareRules", rc -> careRules.list(Requests.tenant(rc)).map(Reply::items));
    ops.bind("createCareRule", rc -> idempotency.inTransaction(rc, joined -> careRules.create(joined, Requests.body(rc))
        .map(r -> Reply.created("/v1/engagement/care-rules/" + r.getString("id"), r))));
    ops.bind("deleteCareRule", rc -> careRules.remove(Requests.tenant(rc), Requests.pathUuid(rc, "careRuleId"))
        .map(v -> Reply.noContent()));
    ops.bind("listCampaigns", rc -> campaigns.list(Requests.tenant(rc), Requests.queryInt(rc, "limit", 50),
            Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(c -> c))));
    ops.bind("createCampaign", rc -> idempotency.inTransaction(rc, joined -> campaigns.create(joined, Requests.body(rc))
        .map(c -> Reply.created("/v1/campaigns/" + c.getString("id"), c))));
    ops.bind("getCampaign", rc -> campaigns.get(Requests.tenant(rc), Requests.pathUuid(rc, "campaignId"))
        .map(Reply::ok));
    ops.bind("cancelCampaign", rc -> idempotency.inTransaction(rc, joined -> campaigns.cancel(joined,
            Requests.pathUuid(rc, "campaignId"))
        .map(Reply::ok)));
    ops.bind("listSurveys", rc -> surveys.list(Requests.tenant(rc)).map(Reply::items));
    ops.bind("createSurvey", rc -> idempotency.inTransaction(rc, joined -> surveys.create(joined, Requests.body(rc))
        .map(s -> Reply.created("/v1/surveys/" + s.getString("id"), s))));
    ops.bind("getSurvey", rc -> surveys.get(Requests.tenant(rc), Requests.pathUuid(rc, "surveyId")).map(Reply::ok));
    ops.bind("getSurveyResults", rc -> surveys.results(Requests.tenant(rc), Requests.pathUuid(rc, "surveyId"))
        .map(Reply::ok));
    ops.bind("listMySurveys", rc -> surveys.pending(Requests.tenant(rc), clock.instant()).map(Reply::items));
    ops.bind("answerSurvey", this::answerSurvey);
    ops.bind("getMySurveyAnswers", rc -> surveys.answers(Requests.tenant(rc), Requests.pathUuid(rc, "invitationId"))
        .map(Reply::ok));
  }

  private Future<Reply> answerSurvey(RoutingContext rc) {
    return idempotency.inTransaction(rc, joined -> surveys.answer(joined, Requests.pathUuid(rc, "invitationId"),
            Requests.body(rc).getJsonArray("answers"), clock.instant())
        .map(a -> Reply.created("/v1/portal/surveys/" + a.getString("invitationId") + "/answers", a)));
  }

  /** A secure message just written, at {@code thread} + its id; a replay of it is audited for its patient. */
  private static Reply sent(String thread, JsonObject message) {
    return Reply.created(thread + message.getString("id"), message)
        .about(UUID.fromString(message.getString("patientId")));
  }
}
