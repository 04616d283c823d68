package io.caduceus.api.lab;

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

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A lab order crosses from the clinic to a linked lab, and its progress and results come back. */
class LabOrderTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  private static JsonObject order(String patientId, Partner lab) {
    return new JsonObject().put("patientId", patientId).put("labTenantId", lab.tenant.id().toString())
        .put("priority", "urgent").put("note", "Fasting since 8 pm")
        .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7").put("display", "Glucose"))
            .add(new JsonObject().put("code", "718-7").put("display", "Hemoglobin")));
  }

  private JsonObject labCopy(Partner lab, String status) {
    return Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming&status=" + status,
        lab.token(lab.staff)), 200).items(), items -> !items.isEmpty()).getJsonObject(0);
  }

  /** The clinic's doctor places the order; the answer, which must have the status. */
  private Api.Response place(Clinic clinic, JsonObject order, int status) {
    return expect(api.post("/v1/lab-orders", clinic.token(clinic.doctor), order), status);
  }

  /** The id of the order the clinic's doctor placed with the lab for the patient. */
  private String placed(Clinic clinic, String patientId, Partner lab) {
    return place(clinic, order(patientId, lab), 201).json().getString("id");
  }

  /** The user moves the order to the status; the answer, which must have the HTTP status. */
  private Api.Response move(String orderId, String token, String status, int httpStatus) {
    return expect(api.post("/v1/lab-orders/" + orderId + "/status", token, new JsonObject().put("status", status)),
        httpStatus);
  }

  /** The lab's incoming orders, whatever their status. */
  private JsonArray incoming(Partner lab) {
    return expect(api.get("/v1/lab-orders?direction=incoming", lab.token(lab.staff)), 200).items();
  }

  private JsonObject clinicCopy(Clinic clinic, String id, String status) {
    return Await.until(() -> expect(api.get("/v1/lab-orders/" + id, clinic.token(clinic.doctor)), 200).json(),
        o -> status.equals(o.getString("status")));
  }

  @Test
  void anOrderReachesTheLabsWorklistAndItsResultsComeBackToTheChart() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Glucose", "Greta").getString("id");
    JsonObject placed = place(clinic, order(patient, lab), 201).json();
    assertThat(placed.getString("status")).isEqualTo("sent");
    assertThat(placed.getJsonObject("orderer").getString("name")).isEqualTo("Test Doctor");

    JsonObject work = labCopy(lab, "received");
    assertThat(work.getString("direction")).isEqualTo("incoming");
    assertThat(work.getJsonArray("tests")).hasSize(2);
    assertThat(work.getString("note")).isEqualTo("Fasting since 8 pm");
    assertThat(work.getString("patientId")).isNotEqualTo(patient);
    JsonObject labPatient = expect(api.get("/v1/patients/" + work.getString("patientId"), lab.token(lab.staff)), 200)
        .json();
    assertThat(labPatient.getJsonObject("name").getString("family")).isEqualTo("Glucose");
    clinicCopy(clinic, placed.getString("id"), "received");

    String labPath = "/v1/lab-orders/" + work.getString("id");
    String tech = lab.token(lab.staff);
    expect(api.post(labPath + "/results", tech, results(105)), 409);
    move(work.getString("id"), tech, "specimen_collected", 200);
    clinicCopy(clinic, placed.getString("id"), "specimen_collected");
    move(work.getString("id"), tech, "in_progress", 200);
    JsonObject resulted = expect(api.post(labPath + "/results", tech, results(105)), 200).json();
    assertThat(resulted.getString("status")).isEqualTo("resulted");
    assertThat(resulted.getJsonArray("results").getJsonObject(0).getString("flag")).isEqualTo("H");

    JsonObject chart = clinicCopy(clinic, placed.getString("id"), "resulted");
    assertThat(chart.getString("report")).isEqualTo("Fasting glucose raised.");
    assertThat(chart.getJsonArray("results")).hasSize(2);
    JsonObject glucose = chart.getJsonArray("results").getJsonObject(0);
    assertThat(glucose.getString("code")).isEqualTo("2345-7");
    assertThat(glucose.getDouble("value")).isEqualTo(105.0);
    assertThat(glucose.getString("unit")).isEqualTo("mg/dL");
    assertThat(glucose.getJsonObject("referenceRange").getDouble("high")).isEqualTo(99.0);
    assertThat(glucose.getString("flag")).isEqualTo("H");

    List<Map<String, Object>> events = Sql.query(platform.superuser("us"), "SELECT topic, payload::text AS p"
        + " FROM outbox_event WHERE tenant_id = ? AND topic LIKE 'lab_result.%' ORDER BY topic",
        clinic.tenant.id().value());
    assertThat(events).extracting(e -> e.get("topic")).containsExactly("lab_result.abnormal", "lab_result.available");
    String payload = (String) events.get(0).get("p");
    assertThat(payload).contains(clinic.doctor.id().toString());
    // The result value stays out of the outbox; ids and instants may contain those digits by chance.
    assertThat(payload.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "")
        .replaceAll("\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z?", "")).doesNotContain("105");
  }

  @Test
  void bothSidesAuditTheExchangeNamingTheOtherTenant() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Audit", "Anton").getString("id");
    place(clinic, order(patient, lab), 201);
    labCopy(lab, "received");
    String sql = "SELECT action, partner_tenant_id::text AS partner FROM audit_event WHERE tenant_id = ?"
        + " AND partner_tenant_id IS NOT NULL ORDER BY occurred_at";
    assertThat(Sql.query(platform.superuser("us"), sql, clinic.tenant.id().value()))
        .extracting(r -> r.get("action") + "/" + r.get("partner"))
        .contains("lab_order.place/" + lab.tenant.id());
    assertThat(Sql.query(platform.superuser("us"), sql, lab.tenant.id().value()))
        .extracting(r -> r.get("action") + "/" + r.get("partner"))
        .contains("lab_order.receive/" + clinic.tenant.id(), "lab_order.acknowledge/" + clinic.tenant.id());
  }

  @Test
  void eachStepIsAuditedOnceWithTheOrderItsPatientAndTheOtherTenant() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Steps", "Stella").getString("id");
    String placed = placed(clinic, patient, lab);
    assertThat(AuditRows.of(platform, clinic.tenant, "lab_order.place"))
        .containsExactly(AuditRows.row("lab_order", placed, List.of(patient), "success", lab.tenant.id()));

    JsonObject work = labCopy(lab, "received");
    move(placed, clinic.token(clinic.doctor), "specimen_collected", 403);
    assertThat(AuditRows.of(platform, clinic.tenant, "lab_order.specimen_collected"))
        .containsExactly(AuditRows.row("lab_order", placed, List.of(), "denied", null));
    move(work.getString("id"), lab.token(lab.staff), "specimen_collected", 200);
    assertThat(AuditRows.of(platform, lab.tenant, "lab_order.specimen_collected")).containsExactly(AuditRows.row(
        "lab_order", work.getString("id"), List.of(work.getString("patientId")), "success", clinic.tenant.id()));
    assertThat(AuditRows.of(platform, lab.tenant, "lab_order.in_progress")).isEmpty();
  }

  @Test
  void anUnlinkedLabCannotBeSentAnOrderAndARevokedLinkStopsNewOnes() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    String patient = clinic.patient("Unlinked", "Ulla").getString("id");
    place(clinic, order(patient, lab), 403);
    String link = lab.linkTo(clinic).getString("id");
    place(clinic, order(patient, lab), 201);
    labCopy(lab, "received");
    expect(api.post("/v1/partner-links/" + link + "/revoke", clinic.token(clinic.admin), null), 200);
    Api.Response refused = place(clinic, order(patient, lab), 403);
    assertThat(refused.json().getString("detail")).contains("no active lab_orders partner link");
    String labOrder = labCopy(lab, "received").getString("id");
    move(labOrder, lab.token(lab.staff), "specimen_collected", 403);
    assertThat(incoming(lab)).hasSize(1);
  }

  @Test
  void aMessageStillInFlightWhenTheLinkIsRevokedIsRefusedAtDelivery() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    String link = lab.linkTo(clinic).getString("id");
    expect(api.post("/v1/partner-links/" + link + "/revoke", lab.token(lab.admin), null), 200);
    // A message committed just before the revocation: written straight into the clinic's outbox, as the order
    // placement would have, so the test does not race the relay.
    String key = UUID.randomUUID().toString();
    JsonObject envelope = new JsonObject().put("linkId", link).put("scope", "lab_orders")
        .put("from", clinic.tenant.id().toString()).put("to", lab.tenant.id().toString())
        .put("kind", "lab_order.placed").put("document", new JsonObject().put("orderId", key));
    Sql.update(platform.superuser("us"), "INSERT INTO outbox_event (tenant_id, id, topic, ordering_key, payload)"
        + " VALUES (?, gen_random_uuid(), 'exchange.lab_order.placed', ?, ?::jsonb)", clinic.tenant.id().value(), key,
        envelope.encode());
    Map<String, Object> message = Await.until(() -> Sql.query(platform.superuser("us"), "SELECT status,"
        + " last_error FROM outbox_event WHERE tenant_id = ? AND ordering_key = ?", clinic.tenant.id().value(), key)
        .get(0), m -> !"pending".equals(m.get("status")));
    assertThat(message.get("status")).isEqualTo("dead");
    assertThat((String) message.get("last_error")).contains("revoked");
    assertThat(incoming(lab)).isEmpty();
  }

  @Test
  void aCrossRegionOrderWaitsForTheResidencyDecisionAndTheLabsCopyLivesInItsRegion() {
    Clinic clinic = Clinic.in("eu");
    Partner lab = Partner.lab("us");
    String link = lab.linkTo(clinic).getString("id");
    String patient = clinic.patient("Border", "Bea").getString("id");
    Api.Response refused = place(clinic, order(patient, lab), 409);
    assertThat(refused.json().getString("detail")).contains("residency decision").contains(link);

    expect(api.put("/v1/partner-links/" + link + "/residency", clinic.token(clinic.admin),
        new JsonObject().put("basis", "Patient consent and SCC module 2")), 200);
    place(clinic, order(patient, lab), 201);
    String labPatient = labCopy(lab, "received").getString("patientId");
    String count = "SELECT count(*) AS n FROM patient WHERE id = ?";
    assertThat(Sql.query(platform.superuser("us"), count, UUID.fromString(labPatient)).get(0).get("n")).isEqualTo(1L);
    assertThat(Sql.query(platform.superuser("eu"), count, UUID.fromString(labPatient)).get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void theLabReceivesTheOrderButNothingElseOfTheChart() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Chart")
            .put("given", "Chris")).put("birthDate", "1980-02-03").put("sex", "male")
        .put("contact", new JsonObject().put("phone", "+1 555 0100").put("email", "chris@example.test"))
        .put("identifiers", new JsonObject().put("nationalId", "123-45-6789"))).getString("id");
    String appointment = clinic.appointment(patient).getString("id");
    String encounter = expect(api.post("/v1/encounters", clinic.token(clinic.doctor),
        new JsonObject().put("appointmentId", appointment)), 201).json().getString("id");
    JsonObject e = expect(api.get("/v1/encounters/" + encounter, clinic.token(clinic.doctor)), 200).json();
    expect(api.patch("/v1/encounters/" + encounter, clinic.token(clinic.doctor),
        new JsonObject().put("notes", "Confidential: history of substance use."), "\"" + e.getInteger("version") + "\""),
        200);
    place(clinic, order(patient, lab).put("encounterId", encounter), 201);

    JsonObject work = labCopy(lab, "received");
    assertThat(work.getValue("encounterId")).isNull();
    String everythingAtTheLab = Sql.query(platform.superuser("us"), "SELECT (SELECT json_agg(p) FROM patient p"
        + " WHERE tenant_id = ?)::text || (SELECT json_agg(o) FROM lab_order o WHERE tenant_id = ?)::text AS dump",
        lab.tenant.id().value(), lab.tenant.id().value()).get(0).get("dump").toString();
    assertThat(everythingAtTheLab).contains("Chart").contains("1980-02-03")
        .doesNotContain("substance").doesNotContain("5550100").doesNotContain("chris@example.test")
        .doesNotContain("123-45-6789");
    assertThat(expect(api.get("/v1/encounters/" + encounter, lab.token(lab.staff)), 403).status()).isEqualTo(403);
  }

  @Test
  void aRedeliveredMessageIsAppliedOnce() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Twice", "Theo").getString("id");
    String id = placed(clinic, patient, lab);
    labCopy(lab, "received");
    Sql.update(platform.superuser("us"), "UPDATE outbox_event SET status = 'pending', next_attempt_at = now()"
        + " WHERE tenant_id = ? AND ordering_key = ?", clinic.tenant.id().value(), id);
    Await.until(() -> Sql.query(platform.superuser("us"), "SELECT status FROM outbox_event WHERE tenant_id = ?"
        + " AND ordering_key = ?", clinic.tenant.id().value(), id).get(0).get("status"), "dispatched"::equals);
    assertThat(incoming(lab)).hasSize(1);
  }

  @Test
  void theClinicCancelsAnOrderAndTheLabsCopyIsCancelledToo() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Cancel", "Cleo").getString("id");
    String id = placed(clinic, patient, lab);
    String labOrder = labCopy(lab, "received").getString("id");
    expect(api.post("/v1/lab-orders/" + labOrder + "/cancel", lab.token(lab.staff), null), 403);
    JsonObject cancelled = expect(api.post("/v1/lab-orders/" + id + "/cancel", clinic.token(clinic.doctor),
        new JsonObject().put("reason", "duplicate")), 200).json();
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    labCopy(lab, "cancelled");
    expect(api.post("/v1/lab-orders/" + id + "/cancel", clinic.token(clinic.doctor), null), 409);
  }

  @Test
  void rolesAndCodesAreChecked() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patient = clinic.patient("Roles", "Rita").getString("id");
    expect(api.post("/v1/lab-orders", clinic.token(clinic.nurse), order(patient, lab)), 403);
    expect(api.post("/v1/lab-orders", lab.token(lab.staff), order(patient, lab)), 403);
    JsonObject typo = order(patient, lab);
    typo.getJsonArray("tests").getJsonObject(0).put("code", "2345-6");
    Api.Response bad = place(clinic, typo, 400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/tests/0/code");
    place(clinic, order(Clinic.unknownId(), lab), 404);
    String id = placed(clinic, patient, lab);
    move(id, clinic.token(clinic.doctor), "in_progress", 403);
    Clinic stranger = Clinic.in("us");
    expect(api.get("/v1/lab-orders/" + id, stranger.token(stranger.doctor)), 404);
    expect(api.get("/v1/lab-orders/" + id, lab.token(lab.staff)), 404);
  }

  private static JsonObject results(double glucose) {
    return new JsonObject().put("report", "Fasting glucose raised.").put("results", new JsonArray()
        .add(new JsonObject().put("code", "2345-7").put("display", "Glucose").put("value", glucose)
            .put("unit", "mg/dL").put("referenceRange", new JsonObject().put("low", 70).put("high", 99)))
        .add(new JsonObject().put("code", "718-7").put("display", "Hemoglobin").put("value", 13.5)
            .put("unit", "g/dL").put("referenceRange", new JsonObject().put("low", 12).put("high", 16))));
  }
}
