package io.caduceus.api.engagement;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Scheduled engagement: reminders, preventive care, campaigns with segments, and surveys after a visit. */
class CrmTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  /** A clinic whose rules send at any hour, remind 24 h and 2 h ahead, and survey right after a visit. */
  private Clinic clinic() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00")).put("surveyDelayHours", 0)
        .put("dailyCap", 20).put("reminderOffsetsMinutes", new JsonArray().add(1440).add(120));
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    return clinic;
  }

  private String patient(Clinic clinic, String given, String language) {
    return clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Lopez").put("given", given))
        .put("birthDate", "1980-05-05").put("sex", "female").put("preferredLanguage", language)
        .put("contact", new JsonObject().put("email", given.toLowerCase() + "@example.test"))).getString("id");
  }

  private JsonArray messages(Clinic clinic, String query) {
    return expect(api.get("/v1/messages?" + query, clinic.token(clinic.admin)), 200).items();
  }

  @Test
  void aVisitTwoHoursAwayGetsOneReminderForTheLatestOffsetNotOneForEveryMissedOne() {
    Clinic clinic = clinic();
    String patientId = patient(clinic, "Rosa", "es");
    Instant start = Instant.now().plus(90, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
    expect(api.post("/v1/appointments", clinic.token(clinic.desk), new JsonObject().put("patientId", patientId)
        .put("practitionerId", clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString())), 201);
    JsonArray reminders = Await.until(() -> messages(clinic, "topic=appointment.reminder&patientId=" + patientId),
        items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status")));
    platform.awaitTwoSchedulerRuns("us");
    reminders = messages(clinic, "topic=appointment.reminder&patientId=" + patientId);
    assertThat(reminders).hasSize(1);
    assertThat(reminders.getJsonObject(0).getJsonObject("content").getString("locale")).isEqualTo("es");
    assertThat(reminders.getJsonObject(0).getString("expiresAt")).isEqualTo(start.toString());
  }

  @Test
  void aSignedVisitBringsASurveyThePatientAnswersOnceAndACareRuleRemindsAboutAMissingHba1c() {
    Clinic clinic = clinic();
    String admin = clinic.token(clinic.admin);
    JsonObject survey = expect(api.post("/v1/surveys", admin, new JsonObject().put("name", "After your visit")
        .put("kind", "nps").put("afterVisit", true).put("questions", new JsonArray()
            .add(new JsonObject().put("id", "recommend").put("text", "Would you recommend us?").put("type", "score"))
            .add(new JsonObject().put("id", "comment").put("text", "Anything else?").put("type", "text")))), 201).json();
    String rule = expect(api.post("/v1/engagement/care-rules", admin, new JsonObject().put("name", "HbA1c for diabetes")
        .put("diagnosisPrefix", "E11").put("loincCode", "4548-4").put("intervalMonths", 6)), 201).json().getString("id");
    assertThat(expect(api.get("/v1/engagement/care-rules", admin), 200).items()).hasSize(1);
    assertThat(expect(api.get("/v1/surveys", admin), 200).items()).extracting(s -> ((JsonObject) s).getString("id"))
        .containsExactly(survey.getString("id"));
    String patientId = patient(clinic, "Elena", "en");
    String doctor = clinic.token(clinic.doctor);
    JsonObject e = expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId",
        clinic.appointment(patientId).getString("id"))), 201).json();
    expect(api.post("/v1/encounters/" + e.getString("id") + "/diagnoses", doctor,
        new JsonObject().put("code", "E11.9")), 200);
    expect(api.post("/v1/encounters/" + e.getString("id") + "/sign", doctor, null), 200);

    Await.until(() -> messages(clinic, "topic=care.preventive&patientId=" + patientId), items -> !items.isEmpty());
    JsonObject invitation = Await.until(() -> messages(clinic, "topic=survey.invitation&patientId=" + patientId),
        items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status"))).getJsonObject(0);
    assertThat(invitation.getJsonObject("content").getString("body")).contains("/surveys/");

    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    JsonArray pending = expect(api.get("/v1/portal/surveys", me), 200).items();
    assertThat(pending).hasSize(1);
    String path = "/v1/portal/surveys/" + pending.getJsonObject(0).getString("invitationId") + "/answers";
    expect(api.post(path, me, new JsonObject().put("answers", new JsonArray()
        .add(new JsonObject().put("questionId", "recommend").put("score", 11)))), 422);
    expect(api.post(path, me, new JsonObject().put("answers", new JsonArray()
        .add(new JsonObject().put("questionId", "recommend").put("score", 9))
        .add(new JsonObject().put("questionId", "comment").put("text", "Kind staff")))), 201);
    expect(api.post(path, me, new JsonObject().put("answers", new JsonArray()
        .add(new JsonObject().put("questionId", "recommend").put("score", 3)))), 409);
    assertThat(expect(api.get("/v1/portal/surveys", me), 200).items()).isEmpty();

    JsonObject results = expect(api.get("/v1/surveys/" + survey.getString("id") + "/results", admin), 200).json();
    assertThat(results.getLong("responses")).isEqualTo(1L);
    assertThat(results.getDouble("nps")).isEqualTo(100.0);
    assertThat(results.encode()).doesNotContain("Kind staff");
    expect(api.delete("/v1/engagement/care-rules/" + rule, admin), 204);
    expect(api.delete("/v1/engagement/care-rules/" + rule, admin), 404);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/surveys/" + survey.getString("id") + "/results", other.token(other.admin)), 404);
    String stranger = platform.token(platform.patientAccount(other.tenant,
        UUID.fromString(other.patient("Stranger", "Sam").getString("id"))));
    expect(api.post(path, stranger, new JsonObject().put("answers", new JsonArray()
        .add(new JsonObject().put("questionId", "recommend").put("score", 5)))), 404);
  }

  @Test
  void aCampaignReachesItsSegmentOnceWithItsOwnWordingAndCannotCarryScheduleDetailsOnPush() {
    Clinic clinic = clinic();
    String admin = clinic.token(clinic.admin);
    String ana = patient(clinic, "Ana", "es");
    String lucia = patient(clinic, "Lucia", "es-MX");
    String john = patient(clinic, "John", "en");
    JsonObject body = new JsonObject().put("name", "Flu shots").put("segment", new JsonObject().put("language", "es"))
        .put("content", new JsonObject().put("email", new JsonObject().put("subject", "Vacuna")
            .put("body", "Hola {{givenName}}, ya tenemos la vacuna de la gripe en {{tenantName}}.")))
        .put("schedule", new JsonObject().put("kind", "once").put("at", Instant.now().toString()));
    JsonObject bad = body.copy().put("content", new JsonObject().put("push", new JsonObject()
        .put("body", "See you at {{appointmentTime}}")));
    expect(api.post("/v1/campaigns", admin, bad), 422);
    String id = expect(api.post("/v1/campaigns", admin, body), 201).json().getString("id");
    JsonObject done = Await.until(() -> expect(api.get("/v1/campaigns/" + id, admin), 200).json(),
        c -> "completed".equals(c.getString("status")) && c.getJsonObject("messages").getLong("sent", 0L) == 2L);
    assertThat(done.getInteger("runs")).isEqualTo(1);
    assertThat(messages(clinic, "topic=campaign&patientId=" + ana).getJsonObject(0).getJsonObject("content")
        .getString("body")).isEqualTo("Hola Ana, ya tenemos la vacuna de la gripe en Test " + clinic.tenant.slug() + ".");
    assertThat(messages(clinic, "topic=campaign&patientId=" + lucia)).hasSize(1);
    assertThat(messages(clinic, "topic=campaign&patientId=" + john)).isEmpty();
    expect(api.post("/v1/campaigns/" + id + "/cancel", admin, new JsonObject()), 409);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/campaigns/" + id, other.token(other.admin)), 404);
    assertThat(expect(api.get("/v1/campaigns", other.token(other.admin)), 200).items()).isEmpty();
  }

  @Test
  void aCampaignWithASurveyInvitesEachPatientOfItsSegmentAndLinksTheirOwnInvitation() {
    Clinic clinic = clinic();
    String admin = clinic.token(clinic.admin);
    String survey = expect(api.post("/v1/surveys", admin, new JsonObject().put("name", "Our new clinic")
        .put("kind", "satisfaction").put("questions", new JsonArray()
            .add(new JsonObject().put("id", "rooms").put("text", "How are the rooms?").put("type", "score")))), 201)
        .json().getString("id");
    String marie = patient(clinic, "Marie", "fr");
    String john = patient(clinic, "John", "en");
    String id = expect(api.post("/v1/campaigns", admin, new JsonObject().put("name", "Rooms").put("surveyId", survey)
        .put("segment", new JsonObject().put("language", "fr"))
        .put("content", new JsonObject().put("email", new JsonObject().put("subject", "Nos salles")
            .put("body", "Bonjour {{givenName}}, votre avis: {{link}}")))
        .put("schedule", new JsonObject().put("kind", "once").put("at", Instant.now().toString()))), 201)
        .json().getString("id");
    Await.until(() -> expect(api.get("/v1/campaigns/" + id, admin), 200).json(),
        c -> "completed".equals(c.getString("status")) && c.getJsonObject("messages").getLong("sent", 0L) == 1L);

    JsonArray pending = expect(api.get("/v1/portal/surveys",
        platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(marie)))), 200).items();
    assertThat(pending).hasSize(1);
    assertThat(pending.getJsonObject(0).getString("surveyId")).isEqualTo(survey);
    assertThat(messages(clinic, "topic=campaign&patientId=" + marie).getJsonObject(0).getJsonObject("content")
        .getString("body")).endsWith("/surveys/" + pending.getJsonObject(0).getString("invitationId"));
    assertThat(messages(clinic, "topic=campaign&patientId=" + john)).isEmpty();
    assertThat(expect(api.get("/v1/portal/surveys",
        platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(john)))), 200).items()).isEmpty();
  }

  @Test
  void aSecureMessageReachesThePatientAsANoticeWithoutItsTextAndTheThreadStaysInTheTenant() {
    Clinic clinic = clinic();
    String patientId = patient(clinic, "Marta", "en");
    String nurse = clinic.token(clinic.nurse);
    String path = "/v1/patients/" + patientId + "/secure-messages";
    expect(api.post(path, nurse, new JsonObject().put("subject", "Your results")
        .put("body", "Your potassium is 5.9, please call us.")), 201);
    JsonObject notice = Await.until(() -> messages(clinic, "topic=message.received&patientId=" + patientId),
        items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status"))).getJsonObject(0);
    assertThat(notice.getJsonObject("content").getString("body")).contains("secure message").doesNotContain("5.9");

    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    expect(api.post("/v1/portal/secure-messages", me, new JsonObject().put("subject", "Re: Your results")
        .put("body", "I will call tomorrow.")), 201);
    JsonArray thread = expect(api.get("/v1/portal/secure-messages", me), 200).items();
    assertThat(thread).extracting(m -> ((JsonObject) m).getString("direction"))
        .containsExactly("from_patient", "to_patient");
    assertThat(expect(api.get(path, clinic.token(clinic.desk)), 200).items()).hasSize(2);
    expect(api.get(path, clinic.token(platform.user(clinic.tenant, "accountant"))), 403);
    Clinic other = Clinic.in("us");
    expect(api.get(path, other.token(other.nurse)), 404);
    expect(api.post(path, other.token(other.nurse), new JsonObject().put("subject", "x").put("body", "y")), 404);
  }
}
