package io.caduceus.api.flags;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Modules per tenant: a module that is off answers its operations 403 {@code module-disabled} naming it (audited as
 * {@code module.denied}), the plan bounds the tenant's switches, and the module's background work and the messages it
 * made wait while it is off and resume, losing nothing.
 */
class ModulesTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final String owner = platform.token(platform.platformOwner());

  private void turn(Clinic clinic, String module, boolean on) {
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/modules/" + module, clinic.token(clinic.admin),
        new JsonObject().put("enabled", on)), 200);
  }

  private static JsonObject module(JsonObject modules, String name) {
    return modules.getJsonArray("modules").stream().map(JsonObject.class::cast)
        .filter(m -> name.equals(m.getString("module"))).findFirst().orElseThrow();
  }

  @Test
  void aSwitchedOffModuleAnswers403NamingItOnEveryRouteOfItUntilSwitchedBackOn() {
    Clinic clinic = Clinic.in("us");
    String doctor = clinic.token(clinic.doctor);
    expect(api.get("/v1/prescriptions", doctor), 200);
    assertThat(module(expect(api.get("/v1/tenants/" + clinic.tenant.id() + "/modules", clinic.token(clinic.admin)),
        200).json(), "e_prescribing").getBoolean("on")).as("every module is on by default").isTrue();
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/modules/e_prescribing", doctor,
        new JsonObject().put("enabled", false)), 403);
    turn(clinic, "e_prescribing", false);
    Api.Response refused = expect(api.get("/v1/prescriptions", doctor), 403);
    assertThat(refused.json().getString("type")).isEqualTo("urn:caduceus:problem:module-disabled");
    assertThat(refused.json().getString("detail")).contains("e_prescribing");
    expect(api.get("/v1/interaction-rules", clinic.token(clinic.admin)), 403);
    expect(api.get("/fhir/r4/MedicationRequest", doctor), 403);
    expect(api.get("/v1/lab-orders", doctor), 200);
    expect(api.get("/v1/patients", doctor), 200);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/prescriptions", other.token(other.doctor)), 200);
    turn(clinic, "e_prescribing", true);
    expect(api.get("/v1/prescriptions", doctor), 200);
  }

  @Test
  void thePlatformsPlanBoundsWhatTheTenantAdminCanSwitchOn() {
    Clinic clinic = Clinic.in("us");
    String plan = "/v1/platform/tenants/" + clinic.tenant.id() + "/modules";
    JsonArray allButTelehealth = new JsonArray(List.of("e_prescribing", "lab_orders", "billing", "crm_campaigns",
        "surveys", "secure_messages", "analytics"));
    expect(api.put(plan, clinic.token(clinic.admin), new JsonObject().put("allowed", allButTelehealth)), 403);
    JsonObject set = expect(api.put(plan, owner, new JsonObject().put("allowed", allButTelehealth)), 200).json();
    assertThat(module(set, "telehealth").getBoolean("allowed")).isFalse();
    expect(api.get("/v1/telehealth/settings", clinic.token(clinic.admin)), 403);
    expect(api.put("/v1/tenants/" + clinic.tenant.id() + "/modules/telehealth", clinic.token(clinic.admin),
        new JsonObject().put("enabled", true)), 403);
    turn(clinic, "billing", false);
    expect(api.put(plan, owner, new JsonObject().put("allowed", allButTelehealth.copy().add("telehealth"))), 200);
    expect(api.get("/v1/telehealth/settings", clinic.token(clinic.admin)), 200);
    JsonObject now = expect(api.get(plan, owner), 200).json();
    assertThat(module(now, "billing").getBoolean("allowed")).isTrue();
    assertThat(module(now, "billing").getBoolean("on")).as("the admin's own switch stays as it was").isFalse();
    List<Map<String, Object>> log = Sql.query(platform.superuser("global"),
        "SELECT action FROM feature_change WHERE subject = ? ORDER BY at, id", "modules:" + clinic.tenant.id());
    assertThat(log).extracting(r -> r.get("action")).containsExactly("modules.plan", "module.off", "modules.plan");
  }

  @Test
  void aRequestRefusedByItsModuleIsAuditedAsDeniedNamingTheModule() {
    Clinic clinic = Clinic.in("us");
    String doctor = clinic.token(clinic.doctor);
    String patient = clinic.patient("Denied", "Dora").getString("id");
    turn(clinic, "e_prescribing", false);
    turn(clinic, "secure_messages", false);
    expect(api.get("/v1/prescriptions", doctor), 403);
    expect(api.get("/v1/interaction-rules", clinic.token(clinic.admin)), 403);
    expect(api.get("/v1/patients/" + patient + "/secure-messages", doctor), 403);
    expect(api.post("/v1/patients/" + patient + "/secure-messages", doctor,
        new JsonObject().put("subject", "Results").put("body", "Your results are in")), 403);
    assertThat(AuditRows.of(platform, clinic.tenant, "module.denied")).containsExactly(
        AuditRows.row("e_prescribing", null, List.of(), "denied", null),
        AuditRows.row("e_prescribing", null, List.of(), "denied", null),
        AuditRows.row("secure_messages", patient, List.of(patient), "denied", null),
        AuditRows.row("secure_messages", null, List.of(patient), "denied", null));
    assertThat(AuditRows.of(platform, clinic.tenant, "prescription.search")).as("the operation ran no further").isEmpty();
    turn(clinic, "e_prescribing", true);
    expect(api.get("/v1/prescriptions", doctor), 200);
    assertThat(AuditRows.of(platform, clinic.tenant, "prescription.search")).hasSize(1);
    assertThat(AuditRows.of(platform, clinic.tenant, "module.denied")).hasSize(4);
  }

  @Test
  void aPostVisitSurveyWaitsWhileSurveysIsOffAndGoesOutOnceItIsBackOn() {
    Clinic clinic = sendingAnyTime(new JsonObject().put("surveyDelayHours", 0));
    String admin = clinic.token(clinic.admin);
    expect(api.post("/v1/surveys", admin, new JsonObject().put("name", "After your visit").put("kind", "nps")
        .put("afterVisit", true).put("questions", new JsonArray().add(new JsonObject().put("id", "recommend")
            .put("text", "Would you recommend us?").put("type", "score")))), 201);
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Held")
            .put("given", "Hana")).put("birthDate", "1980-05-05").put("sex", "female")
        .put("contact", new JsonObject().put("email", "hana@example.test"))).getString("id");
    String doctor = clinic.token(clinic.doctor);
    String encounter = visit(clinic, patient);
    turn(clinic, "surveys", false);
    expect(api.post("/v1/encounters/" + encounter + "/sign", doctor, null), 200);
    JsonObject survey = Await.until(() -> messages(clinic, "survey.invitation", patient), items -> !items.isEmpty(),
        Duration.ofSeconds(60)).getJsonObject(0);
    assertThat(Instant.parse(survey.getString("expiresAt"))).as("worth sending for a week after its time")
        .isAfter(Instant.now().plus(Duration.ofDays(6)));
    // A message of no module, made after the survey, goes out: the dispatcher claimed past the survey, due earlier.
    clinic.appointment(patient);
    Await.until(() -> messages(clinic, "appointment.booked", patient), items -> items.size() == 2
        && items.stream().allMatch(m -> "sent".equals(((JsonObject) m).getString("status"))), Duration.ofSeconds(60));
    JsonObject waiting = messages(clinic, "survey.invitation", patient).getJsonObject(0);
    assertThat(waiting.getString("status")).as("held while surveys is off").isEqualTo("queued");
    assertThat(waiting.getInteger("attempts", 0)).isZero();
    turn(clinic, "surveys", true);
    JsonObject sent = Await.until(() -> messages(clinic, "survey.invitation", patient).getJsonObject(0),
        m -> "sent".equals(m.getString("status")), Duration.ofSeconds(60));
    assertThat(sent.getString("id")).isEqualTo(survey.getString("id"));
    assertThat(sent.getJsonObject("content").getString("body")).contains("/surveys/");
  }

  /** A clinic whose messages go out at any hour, up to 20 a patient a day, with {@code more} engagement settings. */
  private Clinic sendingAnyTime(JsonObject more) {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00")).put("dailyCap", 20)
        .mergeIn(more);
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    return clinic;
  }

  /** The encounter of a new visit of the patient, opened by the clinic's doctor. */
  private String visit(Clinic clinic, String patient) {
    return expect(api.post("/v1/encounters", clinic.token(clinic.doctor), new JsonObject().put("appointmentId",
        clinic.appointment(patient).getString("id"))), 201).json().getString("id");
  }

  private JsonArray messages(Clinic clinic, String topic, String patient) {
    return expect(api.get("/v1/messages?topic=" + topic + "&patientId=" + patient, clinic.token(clinic.admin)), 200)
        .items();
  }

  @Test
  void aCampaignDueWhileCrmIsOffIsSentOnceCrmIsBackOn() {
    Clinic clinic = sendingAnyTime(new JsonObject());
    String admin = clinic.token(clinic.admin);
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Off")
            .put("given", "Olga")).put("birthDate", "1980-05-05").put("sex", "female").put("preferredLanguage", "es")
        .put("contact", new JsonObject().put("email", "olga@example.test"))).getString("id");
    Instant at = Instant.now().plusSeconds(8);
    String id = expect(api.post("/v1/campaigns", admin, new JsonObject().put("name", "While off")
        .put("segment", new JsonObject().put("language", "es"))
        .put("content", new JsonObject().put("email", new JsonObject().put("subject", "Hello")
            .put("body", "Hello {{givenName}}")))
        .put("schedule", new JsonObject().put("kind", "once").put("at", at.toString()))), 201).json().getString("id");
    turn(clinic, "crm_campaigns", false);
    assertThat(Instant.now()).as("switched off before the campaign was due").isBefore(at);
    expect(api.get("/v1/campaigns/" + id, admin), 403);
    Await.until(Instant::now, now -> now.isAfter(at), Duration.ofSeconds(30));
    platform.awaitTwoSchedulerRuns("us");
    assertThat(campaignMessages(clinic, patient)).as("nothing sent while off").isEmpty();
    turn(clinic, "crm_campaigns", true);
    JsonObject done = Await.until(() -> expect(api.get("/v1/campaigns/" + id, admin), 200).json(),
        c -> "completed".equals(c.getString("status")) && c.getJsonObject("messages").getLong("sent", 0L) == 1L,
        Duration.ofSeconds(90));
    assertThat(done.getInteger("runs")).isEqualTo(1);
    assertThat(campaignMessages(clinic, patient)).hasSize(1);
  }

  /**
   * A campaign that carries a survey waits while surveys is off, though crm_campaigns is on: its link would lead to
   * routes that refuse the patient. It stays due, unrun and with no invitation, and runs once, when surveys is back.
   */
  @Test
  void aCampaignCarryingASurveyDueWhileSurveysIsOffStaysDueAndIsSentOnceSurveysIsBackOn() {
    Clinic clinic = sendingAnyTime(new JsonObject());
    String admin = clinic.token(clinic.admin);
    String survey = expect(api.post("/v1/surveys", admin, new JsonObject().put("name", "Our rooms")
        .put("kind", "satisfaction").put("questions", new JsonArray().add(new JsonObject().put("id", "rooms")
            .put("text", "How are the rooms?").put("type", "score")))), 201).json().getString("id");
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Asked")
            .put("given", "Ada")).put("birthDate", "1980-05-05").put("sex", "female").put("preferredLanguage", "es")
        .put("contact", new JsonObject().put("email", "ada@example.test"))).getString("id");
    Instant at = Instant.now().plusSeconds(8);
    String id = expect(api.post("/v1/campaigns", admin, new JsonObject().put("name", "Rooms").put("surveyId", survey)
        .put("segment", new JsonObject().put("language", "es"))
        .put("content", new JsonObject().put("email", new JsonObject().put("subject", "Rooms")
            .put("body", "Hello {{givenName}}: {{link}}")))
        .put("schedule", new JsonObject().put("kind", "once").put("at", at.toString()))), 201).json().getString("id");
    turn(clinic, "surveys", false);
    assertThat(Instant.now()).as("switched off before the campaign was due").isBefore(at);
    Await.until(Instant::now, now -> now.isAfter(at), Duration.ofSeconds(30));
    platform.awaitTwoSchedulerRuns("us");
    JsonObject waiting = expect(api.get("/v1/campaigns/" + id, admin), 200).json();
    assertThat(waiting.getString("status")).as("still due").isEqualTo("scheduled");
    assertThat(waiting.getInteger("runs")).isZero();
    assertThat(campaignMessages(clinic, patient)).as("nothing made while surveys is off").isEmpty();
    assertThat(Sql.query(platform.superuser("us"), "SELECT id FROM survey_invitation WHERE tenant_id = ?",
        clinic.tenant.id().value())).as("no invitation made while surveys is off").isEmpty();
    turn(clinic, "surveys", true);
    JsonObject done = Await.until(() -> expect(api.get("/v1/campaigns/" + id, admin), 200).json(),
        c -> "completed".equals(c.getString("status")) && c.getJsonObject("messages").getLong("sent", 0L) == 1L,
        Duration.ofSeconds(90));
    assertThat(done.getInteger("runs")).isEqualTo(1);
    platform.awaitTwoSchedulerRuns("us");
    JsonArray sent = campaignMessages(clinic, patient);
    assertThat(sent).as("sent once").hasSize(1);
    assertThat(sent.getJsonObject(0).getJsonObject("content").getString("body")).contains("/surveys/");
    assertThat(expect(api.get("/v1/campaigns/" + id, admin), 200).json().getInteger("runs")).isEqualTo(1);
  }

  /**
   * A post-visit survey's portal invitation expires with its message: it is made with the message's expiry, and
   * once that has passed (moved into the past here, as a week's wait would) it is neither listed nor answerable, and
   * the message expires instead of going out.
   */
  @Test
  void aPostVisitSurveysPortalInvitationExpiresWithItsMessage() {
    Clinic clinic = sendingAnyTime(new JsonObject().put("surveyDelayHours", 24));
    String admin = clinic.token(clinic.admin);
    expect(api.post("/v1/surveys", admin, new JsonObject().put("name", "After your visit").put("kind", "nps")
        .put("afterVisit", true).put("questions", new JsonArray().add(new JsonObject().put("id", "recommend")
            .put("text", "Would you recommend us?").put("type", "score")))), 201);
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Late")
            .put("given", "Lea")).put("birthDate", "1980-05-05").put("sex", "female")
        .put("contact", new JsonObject().put("email", "lea@example.test"))).getString("id");
    String doctor = clinic.token(clinic.doctor);
    String encounter = visit(clinic, patient);
    expect(api.post("/v1/encounters/" + encounter + "/sign", doctor, null), 200);
    JsonObject message = Await.until(() -> messages(clinic, "survey.invitation", patient), items -> !items.isEmpty(),
        Duration.ofSeconds(60)).getJsonObject(0);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patient)));
    JsonArray open = expect(api.get("/v1/portal/surveys", me), 200).items();
    assertThat(open).hasSize(1);
    String invitation = open.getJsonObject(0).getString("invitationId");
    Map<String, Object> row = Sql.query(platform.superuser("us"),
        "SELECT expires_at FROM survey_invitation WHERE id = ?::uuid", invitation).get(0);
    assertThat(((Timestamp) row.get("expires_at")).toInstant()).as("the message's own expiry")
        .isEqualTo(Instant.parse(message.getString("expiresAt")));

    Sql.update(platform.superuser("us"), "UPDATE message SET next_attempt_at = now() - interval '8 days',"
        + " expires_at = now() - interval '1 day' WHERE id = ?::uuid", message.getString("id"));
    Sql.update(platform.superuser("us"), "UPDATE survey_invitation SET expires_at = now() - interval '1 day'"
        + " WHERE id = ?::uuid", invitation);
    assertThat(expect(api.get("/v1/portal/surveys", me), 200).items()).as("no longer listed").isEmpty();
    expect(api.post("/v1/portal/surveys/" + invitation + "/answers", me, new JsonObject().put("answers",
        new JsonArray().add(new JsonObject().put("questionId", "recommend").put("score", 9)))), 404);
    JsonObject expired = Await.until(() -> messages(clinic, "survey.invitation", patient).getJsonObject(0),
        m -> !"queued".equals(m.getString("status")), Duration.ofSeconds(60));
    assertThat(expired.getString("status")).isEqualTo("expired");
  }

  private JsonArray campaignMessages(Clinic clinic, String patient) {
    return expect(api.get("/v1/messages?topic=campaign&patientId=" + patient, clinic.token(clinic.admin)), 200)
        .items();
  }

  @Test
  void anOrderForALabWithLabOrdersOffWaitsWithoutSpendingAttemptsAndArrivesOnceItIsOn() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    expect(api.put("/v1/tenants/" + lab.tenant.id() + "/modules/lab_orders", lab.token(lab.admin),
        new JsonObject().put("enabled", false)), 200);
    String patient = clinic.patient("Waiting", "Wanda").getString("id");
    expect(api.post("/v1/lab-orders", clinic.token(clinic.doctor), new JsonObject().put("patientId", patient)
        .put("labTenantId", lab.tenant.id().toString()).put("priority", "routine")
        .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7").put("display", "Glucose")))), 201);
    String waiting = "SELECT status, attempts FROM outbox_event WHERE tenant_id = ? AND last_error LIKE ?";
    // Offered to the lab at least twice (deferred, then offered again and deferred again), never spending an attempt.
    Await.until(() -> Sql.query(platform.superuser("us"), waiting, clinic.tenant.id().value(), "%lab_orders%"),
        rows -> !rows.isEmpty(), Duration.ofSeconds(60));
    Map<String, Object> row = Sql.query(platform.superuser("us"), waiting, clinic.tenant.id().value(),
        "%lab_orders%").get(0);
    assertThat(row.get("status")).isEqualTo("pending");
    assertThat(((Number) row.get("attempts")).intValue()).isZero();
    expect(api.put("/v1/tenants/" + lab.tenant.id() + "/modules/lab_orders", lab.token(lab.admin),
        new JsonObject().put("enabled", true)), 200);
    JsonArray incoming = Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming", lab.token(lab.staff)),
        200).items(), items -> !items.isEmpty(), Duration.ofSeconds(60));
    assertThat(incoming).hasSize(1);
  }
}
