package io.caduceus.api.prescription;

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

import static io.caduceus.api.prescription.Prescribing.AMOXICILLIN;
import static io.caduceus.api.prescription.Prescribing.METFORMIN;
import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A prescription crosses from the clinic to a linked pharmacy, is filled there, and its fills come back. */
class PrescriptionTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aPrescriptionReachesThePharmacyQueueAndTheClinicLearnsItWasReceived() {
    Prescribing rx = new Prescribing("Queue", "Quinn");
    JsonObject sent = rx.prescribe(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0);
    assertThat(sent.getString("status")).isEqualTo("sent");
    assertThat(sent.getJsonObject("prescriber").getString("name")).isEqualTo("Test Doctor");
    assertThat(sent.getJsonObject("medication").getJsonArray("ingredients")).containsExactly("723");

    JsonObject queued = rx.atPharmacy(AMOXICILLIN);
    assertThat(queued.getString("direction")).isEqualTo("incoming");
    assertThat(queued.getString("status")).isEqualTo("received");
    assertThat(queued.getString("patientId")).isNotEqualTo(rx.patientId);
    assertThat(queued.getString("dose")).isEqualTo("1 tablet");
    assertThat(queued.getInteger("quantity")).isEqualTo(30);
    assertThat(queued.getInteger("daysSupply")).isEqualTo(30);
    assertThat(queued.getString("note")).isEqualTo("May substitute a generic");
    assertThat(queued.getJsonObject("prescriber").getString("name")).isEqualTo("Test Doctor");
    assertThat(queued.getString("partnerTenantId")).isEqualTo(rx.clinic.tenant.id().toString());
    assertThat(expect(api.get("/v1/prescriptions?direction=incoming&status=received", rx.pharmacist()), 200).items())
        .hasSize(1);

    JsonObject patient = expect(api.get("/v1/patients/" + queued.getString("patientId"), rx.pharmacist()), 200)
        .json();
    assertThat(patient.getJsonObject("name").getString("family")).isEqualTo("Queue");
    assertThat(patient.getJsonObject("contact").getString("phone")).isEqualTo("+15550142");
    assertThat(patient.getJsonObject("contact").getString("email")).isEqualTo("quinn@example.test");
    rx.atClinic(sent.getString("id"), "received");
  }

  @Test
  void aPrescriptionWithoutInteractionsIsDispensedAndThePatientIsToldItIsReadyForPickup() {
    Prescribing rx = new Prescribing("Pickup", "Pia");
    rx.received(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 0);
    String clinicCopy = rx.prescribe(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0).getString("id");
    String copy = rx.atPharmacy(AMOXICILLIN).getString("id");
    JsonObject check = rx.check(copy);
    assertThat(check.getInteger("activePrescriptionsChecked")).isEqualTo(1);
    assertThat(check.getJsonArray("hits")).isEmpty();

    JsonObject filled = expect(rx.dispense(copy, "LOT-A1", 30), 200).json();
    assertThat(filled.getString("status")).isEqualTo("completed");
    assertThat(filled.getInteger("fills")).isEqualTo(1);
    assertThat(filled.getJsonArray("dispenses").getJsonObject(0).getString("lot")).isEqualTo("LOT-A1");

    List<Map<String, Object>> events = Sql.query(platform.superuser("us"), "SELECT payload::text AS p"
        + " FROM outbox_event WHERE tenant_id = ? AND topic = 'prescription.pickup_ready'",
        rx.pharmacy.tenant.id().value());
    assertThat(events).hasSize(1);
    JsonObject payload = new JsonObject((String) events.get(0).get("p"));
    assertThat(payload.fieldNames()).containsExactlyInAnyOrder("prescriptionId", "patientId", "fillNumber");
    assertThat(payload.getString("prescriptionId")).isEqualTo(copy);
    assertThat(payload.getString("patientId")).isEqualTo(filled.getString("patientId"));
    assertThat(payload.getInteger("fillNumber")).isEqualTo(1);
    assertThat(payload.encode()).doesNotContainIgnoringCase("amoxicillin").doesNotContain("308191")
        .doesNotContain("Pickup");

    JsonObject back = rx.atClinic(clinicCopy, "completed");
    assertThat(back.getInteger("fills")).isEqualTo(1);
    assertThat(back.getString("lastFilledAt")).isNotNull();
    assertThat(back.getJsonArray("dispenses")).hasSize(1);
    assertThat(back.getJsonArray("dispenses").getJsonObject(0).getString("lot")).isEqualTo("LOT-A1");
  }

  @Test
  void refillsAreTrackedUntilThePrescriptionIsCompleted() {
    Prescribing rx = new Prescribing("Refill", "Rory");
    String clinicCopy = rx.prescribe(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 1).getString("id");
    String copy = rx.atPharmacy(METFORMIN).getString("id");
    Api.Response tooMuch = expect(rx.dispense(copy, "LOT-1", 31), 400);
    assertThat(tooMuch.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/quantity");

    JsonObject first = expect(rx.dispense(copy, "LOT-1", 30), 200).json();
    assertThat(first.getString("status")).isEqualTo("dispensed");
    assertThat(first.getInteger("fills")).isEqualTo(1);
    assertThat(first.getInteger("refillsRemaining")).isEqualTo(1);
    JsonObject dispensedAtClinic = rx.atClinic(clinicCopy, "dispensed");
    assertThat(dispensedAtClinic.getInteger("fills")).isEqualTo(1);

    JsonObject last = expect(rx.dispense(copy, "LOT-2", 20), 200).json();
    assertThat(last.getString("status")).isEqualTo("completed");
    assertThat(last.getInteger("fills")).isEqualTo(2);
    assertThat(last.getInteger("refillsRemaining")).isEqualTo(0);
    assertThat(last.getJsonArray("dispenses")).extracting(d -> ((JsonObject) d).getInteger("fillNumber"))
        .containsExactly(1, 2);
    expect(rx.dispense(copy, "LOT-3", 30), 409);

    JsonObject completed = rx.atClinic(clinicCopy, "completed");
    assertThat(completed.getInteger("fills")).isEqualTo(2);
    assertThat(completed.getJsonArray("dispenses")).extracting(d -> ((JsonObject) d).getString("lot"))
        .containsExactly("LOT-1", "LOT-2");
    assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM outbox_event WHERE tenant_id = ?"
        + " AND topic = 'prescription.pickup_ready'", rx.pharmacy.tenant.id().value()).get(0).get("n"))
        .isEqualTo(2L);
  }

  @Test
  void aRetriedDispenseIsAnsweredFromTheFirstAttemptAndFillsOnce() {
    Prescribing rx = new Prescribing("Retry", "Rita");
    String copy = rx.received(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 5);
    JsonObject fill = new JsonObject().put("lot", "LOT-K").put("quantity", 30);
    Map<String, String> key = Map.of("Idempotency-Key", "dispense-" + copy);
    String path = "/v1/prescriptions/" + copy + "/dispense";
    JsonObject first = expect(api.post(path, rx.pharmacist(), fill, key), 200).json();
    Api.Response retried = expect(api.post(path, rx.pharmacist(), fill, key), 200);
    assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(retried.json().getInteger("fills")).isEqualTo(first.getInteger("fills")).isEqualTo(1);
    assertThat(expect(api.get("/v1/prescriptions/" + copy, rx.pharmacist()), 200).json().getJsonArray("dispenses"))
        .hasSize(1);
  }

  @Test
  void aCrossRegionPrescriptionWaitsForTheResidencyDecisionAndThePharmacysCopyLivesInItsRegion() {
    Prescribing rx = new Prescribing("Border", "Bo", "eu");
    JsonObject body = rx.body(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 0);
    Api.Response refused = expect(api.post("/v1/prescriptions", rx.doctor(), body), 409);
    assertThat(refused.json().getString("detail")).contains("residency decision").contains(rx.linkId);
    expect(api.put("/v1/partner-links/" + rx.linkId + "/residency", rx.clinic.token(rx.clinic.admin),
        new JsonObject().put("basis", "Patient consent and SCC module 2")), 200);
    String clinicCopy = expect(api.post("/v1/prescriptions", rx.doctor(), body), 201).json().getString("id");
    JsonObject copy = rx.atPharmacy(METFORMIN);
    rx.atClinic(clinicCopy, "received");
    String count = "SELECT count(*) AS n FROM prescription WHERE id = ?";
    UUID id = UUID.fromString(copy.getString("id"));
    assertThat(Sql.query(platform.superuser("us"), count, id).get(0).get("n")).isEqualTo(1L);
    assertThat(Sql.query(platform.superuser("eu"), count, id).get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void bothSidesAuditTheExchangeNamingTheOtherTenant() {
    Prescribing rx = new Prescribing("Audit", "Ada");
    String clinicCopy = rx.prescribe(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0).getString("id");
    expect(rx.dispense(rx.atPharmacy(AMOXICILLIN).getString("id"), "LOT-9", 30), 200);
    rx.atClinic(clinicCopy, "completed");
    String sql = "SELECT action, partner_tenant_id::text AS partner FROM audit_event WHERE tenant_id = ?"
        + " AND partner_tenant_id IS NOT NULL ORDER BY occurred_at";
    String pharmacy = rx.pharmacy.tenant.id().toString();
    String clinic = rx.clinic.tenant.id().toString();
    assertThat(Sql.query(platform.superuser("us"), sql, rx.clinic.tenant.id().value()))
        .extracting(r -> r.get("action") + "/" + r.get("partner"))
        .contains("prescription.place/" + pharmacy, "prescription.partner_status/" + pharmacy,
            "prescription.partner_dispensed/" + pharmacy);
    assertThat(Sql.query(platform.superuser("us"), sql, rx.pharmacy.tenant.id().value()))
        .extracting(r -> r.get("action") + "/" + r.get("partner"))
        .contains("prescription.receive/" + clinic, "prescription.acknowledge/" + clinic,
            "prescription.dispense/" + clinic);
  }

  @Test
  void theInteractionCheckIsAuditedOnceWithThePharmacysPatient() {
    Prescribing rx = new Prescribing("Checked", "Carla");
    rx.prescribe(AMOXICILLIN, "Amoxicillin 500 MG", 0);
    JsonObject copy = rx.atPharmacy(AMOXICILLIN);
    expect(api.get("/v1/prescriptions/" + copy.getString("id") + "/interactions", rx.pharmacist()), 200);
    assertThat(AuditRows.of(platform, rx.pharmacy.tenant, "prescription.interaction_check")).containsExactly(
        AuditRows.row("prescription", copy.getString("id"), List.of(copy.getString("patientId")), "success", null));
  }

  @Test
  void onlyThePhysicianPrescribesAndOnlyThePharmacistDispenses() {
    Prescribing rx = new Prescribing("Roles", "Remy");
    JsonObject body = rx.body(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0);
    expect(api.post("/v1/prescriptions", rx.clinic.token(rx.clinic.nurse), body), 403);
    expect(api.post("/v1/prescriptions", rx.pharmacist(), body), 403);
    String clinicCopy = rx.prescribe(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0).getString("id");
    String copy = rx.atPharmacy(AMOXICILLIN).getString("id");
    expect(api.post("/v1/prescriptions/" + clinicCopy + "/dispense", rx.doctor(),
        new JsonObject().put("lot", "L1").put("quantity", 30)), 403);
    expect(api.get("/v1/prescriptions/" + clinicCopy + "/interactions", rx.doctor()), 403);
    expect(api.post("/v1/prescriptions/" + copy + "/cancel", rx.pharmacist(), null), 403);
    expect(api.post("/v1/prescriptions/" + copy + "/dispense", rx.pharmacy.token(rx.pharmacy.admin),
        new JsonObject().put("lot", "L1").put("quantity", 30)), 403);
    assertThat(expect(api.get("/v1/prescriptions/" + clinicCopy, rx.clinic.token(rx.clinic.nurse)), 200).json()
        .getString("id")).isEqualTo(clinicCopy);

    Clinic stranger = Clinic.in("us");
    expect(api.get("/v1/prescriptions/" + clinicCopy, stranger.token(stranger.doctor)), 404);
    expect(api.get("/v1/prescriptions/" + clinicCopy, rx.pharmacist()), 404);
    expect(api.get("/v1/prescriptions/" + copy, rx.doctor()), 404);
    Partner otherPharmacy = Partner.pharmacy("us");
    expect(api.post("/v1/prescriptions/" + copy + "/dispense", otherPharmacy.token(otherPharmacy.staff),
        new JsonObject().put("lot", "L1").put("quantity", 30)), 404);
  }

  @Test
  void anUnlinkedPharmacyIsRefusedAndARevokedLinkStopsNewPrescriptions() {
    Prescribing rx = new Prescribing("Linked", "Lou");
    Partner unlinked = Partner.pharmacy("us");
    JsonObject toUnlinked = rx.body(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0)
        .put("pharmacyTenantId", unlinked.tenant.id().toString());
    expect(api.post("/v1/prescriptions", rx.doctor(), toUnlinked), 403);
    assertThat(expect(api.get("/v1/prescriptions", rx.doctor()), 200).items()).isEmpty();

    String copy = rx.received(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 0);
    expect(api.post("/v1/partner-links/" + rx.linkId + "/revoke", rx.clinic.token(rx.clinic.admin), null), 200);
    Api.Response refused = expect(api.post("/v1/prescriptions", rx.doctor(),
        rx.body(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0)), 403);
    assertThat(refused.json().getString("detail")).contains("no active prescriptions partner link");
    expect(rx.dispense(copy, "LOT-R", 30), 403);
    assertThat(expect(api.get("/v1/prescriptions?direction=incoming", rx.pharmacist()), 200).items()).hasSize(1);
  }

  @Test
  void thePharmacyReceivesThePrescriptionButNothingElseOfTheChart() {
    Prescribing rx = new Prescribing("Private", "Priya");
    String desk = rx.clinic.token(rx.clinic.desk);
    JsonObject record = expect(api.get("/v1/patients/" + rx.patientId, rx.doctor()), 200).json();
    expect(api.patch("/v1/patients/" + rx.patientId, desk, new JsonObject()
        .put("identifiers", new JsonObject().put("nationalId", "987-65-4321")), "\"" + record.getInteger("version")
        + "\""), 200);
    record = expect(api.get("/v1/patients/" + rx.patientId, rx.doctor()), 200).json();
    expect(api.patch("/v1/patients/" + rx.patientId, rx.doctor(), new JsonObject().put("clinical", new JsonObject()
        .put("allergies", new JsonArray().add("Penicillin rash")).put("notes", "Confidential: alcohol use")),
        "\"" + record.getInteger("version") + "\""), 200);
    String encounter = encounterWithNotes(rx, "Confidential: depression follow-up.");
    String labReport = resultedLabOrder(rx);

    rx.prescribe(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 0);
    expect(api.post("/v1/prescriptions", rx.doctor(), rx.body(AMOXICILLIN, "amoxicillin 500 MG Oral Capsule", 0)
        .put("encounterId", encounter)), 201);
    assertThat(rx.atPharmacy(AMOXICILLIN).getValue("encounterId")).isNull();
    rx.atPharmacy(METFORMIN);

    UUID pharmacy = rx.pharmacy.tenant.id().value();
    String everythingAtThePharmacy = Sql.query(platform.superuser("us"), "SELECT (SELECT json_agg(p) FROM patient p"
        + " WHERE tenant_id = ?)::text || (SELECT json_agg(r) FROM prescription r WHERE tenant_id = ?)::text AS dump",
        pharmacy, pharmacy).get(0).get("dump").toString();
    assertThat(everythingAtThePharmacy).contains("Private").contains("1961-04-12").contains("+15550142")
        .contains("priya@example.test").contains("Test Doctor")
        .doesNotContain("Confidential").doesNotContain("Penicillin").doesNotContain("987-65-4321")
        .doesNotContain(labReport).doesNotContain(encounter);
    String clinicalTables = "SELECT (SELECT count(*) FROM encounter WHERE tenant_id = ?) + (SELECT count(*) FROM"
        + " lab_order WHERE tenant_id = ?) + (SELECT count(*) FROM lab_result WHERE tenant_id = ?) AS n";
    assertThat(Sql.query(platform.superuser("us"), clinicalTables, pharmacy, pharmacy, pharmacy).get(0).get("n"))
        .isEqualTo(0L);
    expect(api.get("/v1/encounters/" + encounter, rx.pharmacist()), 403);
    expect(api.get("/v1/lab-orders", rx.pharmacist()), 403);
  }

  @Test
  void theClinicCancelsAndThePharmacysCopyIsCancelledToo() {
    Prescribing rx = new Prescribing("Cancel", "Cody");
    String clinicCopy = rx.prescribe(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 3).getString("id");
    String copy = rx.atPharmacy(METFORMIN).getString("id");
    expect(rx.dispense(copy, "LOT-C", 30), 200);
    rx.atClinic(clinicCopy, "dispensed");
    JsonObject cancelled = expect(api.post("/v1/prescriptions/" + clinicCopy + "/cancel", rx.doctor(),
        new JsonObject().put("reason", "therapy changed")), 200).json();
    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(cancelled.getInteger("fills")).isEqualTo(1);
    Await.until(() -> expect(api.get("/v1/prescriptions/" + copy, rx.pharmacist()), 200)
        .json().getString("status"), "cancelled"::equals);
    expect(rx.dispense(copy, "LOT-D", 30), 409);
    expect(api.post("/v1/prescriptions/" + clinicCopy + "/cancel", rx.doctor(), null), 409);
  }

  @Test
  void aPatientSeesTheirOwnPrescriptionsOnly() {
    Prescribing rx = new Prescribing("Own", "Olive");
    String mine = rx.prescribe(METFORMIN, "metformin hydrochloride 500 MG Oral Tablet", 0).getString("id");
    String other = rx.clinic.patient("Else", "Eddie").getString("id");
    String theirs = expect(api.post("/v1/prescriptions", rx.doctor(), rx.body(AMOXICILLIN,
        "amoxicillin 500 MG Oral Capsule", 0).put("patientId", other)), 201).json().getString("id");
    String patient = platform.token(platform.patientAccount(rx.clinic.tenant, UUID.fromString(rx.patientId)));
    assertThat(expect(api.get("/v1/prescriptions", patient), 200).items()).extracting(p -> ((JsonObject) p)
        .getString("id")).containsExactly(mine);
    expect(api.get("/v1/prescriptions/" + theirs, patient), 404);
    expect(api.post("/v1/prescriptions", patient, rx.body(METFORMIN, "metformin", 0)), 403);
  }

  @Test
  void badInputIsRefusedWithAProblemAndNothingIsWritten() {
    Prescribing rx = new Prescribing("Input", "Ines");
    String doctor = rx.doctor();
    JsonObject badCode = rx.body(METFORMIN, "metformin", 0);
    badCode.getJsonObject("medication").put("rxnorm", "86100x");
    expect(api.post("/v1/prescriptions", doctor, badCode), 400);
    expect(api.post("/v1/prescriptions", doctor, rx.body(METFORMIN, "metformin", 0).put("quantity", 0)), 400);
    expect(api.post("/v1/prescriptions", doctor, rx.body(METFORMIN, "metformin", 0).put("refills", 99)), 400);
    expect(api.post("/v1/prescriptions", doctor, rx.body(METFORMIN, "metformin", 0).put("daysSupply", 0)), 400);
    expect(api.post("/v1/prescriptions", doctor, rx.body(METFORMIN, "metformin", 0).put("extra", true)), 400);
    Api.Response unknown = expect(api.post("/v1/prescriptions", doctor, rx.body("1000001", "a new drug", 0)), 400);
    assertThat(unknown.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/medication/ingredients");
    JsonObject contradicting = rx.body(METFORMIN, "metformin", 0);
    contradicting.getJsonObject("medication").put("ingredients", new JsonArray().add("723"));
    expect(api.post("/v1/prescriptions", doctor, contradicting), 400);
    expect(api.post("/v1/prescriptions", doctor, rx.body(METFORMIN, "metformin", 0)
        .put("patientId", Clinic.unknownId())), 404);
    assertThat(expect(api.get("/v1/prescriptions", doctor), 200).items()).isEmpty();

    JsonObject coded = rx.body("1000001", "a new combination", 0);
    coded.getJsonObject("medication").put("ingredients", new JsonArray().add("6809").add("99999"));
    JsonObject placed = expect(api.post("/v1/prescriptions", doctor, coded), 201).json();
    assertThat(placed.getJsonObject("medication").getJsonArray("ingredients")).containsExactly("6809", "99999");
    String copy = rx.atPharmacy("1000001").getString("id");
    expect(api.post("/v1/prescriptions/" + copy + "/dispense", rx.pharmacist(), new JsonObject().put("lot", "L")),
        400);
    expect(rx.dispense(copy, "L", 0), 400);
  }

  private String encounterWithNotes(Prescribing rx, String notes) {
    String appointment = rx.clinic.appointment(rx.patientId).getString("id");
    String id = expect(api.post("/v1/encounters", rx.doctor(), new JsonObject().put("appointmentId", appointment)),
        201).json().getString("id");
    JsonObject e = expect(api.get("/v1/encounters/" + id, rx.doctor()), 200).json();
    expect(api.patch("/v1/encounters/" + id, rx.doctor(), new JsonObject().put("notes", notes),
        "\"" + e.getInteger("version") + "\""), 200);
    return id;
  }

  private String resultedLabOrder(Prescribing rx) {
    Partner lab = Partner.labLinkedTo(rx.clinic);
    String id = expect(api.post("/v1/lab-orders", rx.doctor(), new JsonObject().put("patientId", rx.patientId)
        .put("labTenantId", lab.tenant.id().toString()).put("tests", new JsonArray()
            .add(new JsonObject().put("code", "2823-3").put("display", "Potassium")))), 201).json().getString("id");
    String labCopy = Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming",
        lab.token(lab.staff)), 200).items(), items -> !items.isEmpty()).getJsonObject(0).getString("id");
    String tech = lab.token(lab.staff);
    expect(api.post("/v1/lab-orders/" + labCopy + "/status", tech, new JsonObject().put("status",
        "specimen_collected")), 200);
    expect(api.post("/v1/lab-orders/" + labCopy + "/status", tech, new JsonObject().put("status", "in_progress")),
        200);
    String report = "Hyperkalaemia noted";
    expect(api.post("/v1/lab-orders/" + labCopy + "/results", tech, new JsonObject().put("report", report)
        .put("results", new JsonArray().add(new JsonObject().put("code", "2823-3").put("display", "Potassium").put("value", 6.1)
            .put("unit", "mmol/L")))), 200);
    Await.until(() -> expect(api.get("/v1/lab-orders/" + id, rx.doctor()), 200).json()
        .getString("status"), "resulted"::equals);
    return report;
  }
}
