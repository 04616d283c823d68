package io.caduceus.api.journey;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' central story, end to end over HTTP, with a separate user of every tenant: a clinic books and
 * documents a visit, orders labs from its lab and a prescription from its pharmacy, the results and the dispense
 * come back, the insurer adjudicates and pays the claim, and the patient sees it all in the portal. At each step
 * the test checks what each party sees and what it must not.
 */
class PatientJourneyTest {

  private static final String NOTES = "Confidential: patient disclosed a history of depression.";
  private static final String MEMBER_ID = "ACM-77120-04";

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  /** Everyone in the story. */
  private record Cast(Clinic clinic, TestUser accountant, Partner lab, Partner pharmacy, Partner insurer,
                      String patientId, TestUser patient) {
  }

  private Cast cast() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.lab("us");
    Partner pharmacy = Partner.pharmacy("us");
    Partner insurer = Partner.insurer("us");
    lab.usableLinkTo(clinic);
    pharmacy.usableLinkTo(clinic);
    insurer.usableLinkTo(clinic);
    String patientId = clinic.patient(new JsonObject()
        .put("name", new JsonObject().put("family", "Journey").put("given", "Joan"))
        .put("birthDate", "1972-03-14").put("sex", "female")
        .put("contact", new JsonObject().put("phone", "+1 555 0199").put("email", "joan@example.test"))
        .put("insurance", new JsonObject().put("payer", "Test Insurer").put("plan", "Gold")
            .put("memberId", MEMBER_ID))).getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    return new Cast(clinic, platform.user(clinic.tenant, "accountant"), lab, pharmacy, insurer, patientId, patient);
  }

  @Test
  void aPatientsJourneyCrossesFourTenantsAndEachSeesOnlyItsPart() {
    Cast c = cast();
    String insurerManager = c.insurer().token(c.insurer().staff);
    LocalDate today = LocalDate.now();
    String member = expect(api.post("/v1/patients", insurerManager, new JsonObject()
        .put("name", new JsonObject().put("family", "Journey").put("given", "Joan"))
        .put("birthDate", "1972-03-14").put("sex", "female")), 201).json().getString("id");
    expect(api.post("/v1/coverages", insurerManager, new JsonObject().put("patientId", member)
        .put("memberId", MEMBER_ID).put("plan", "Gold PPO").put("status", "active")
        .put("periodStart", today.minusYears(1).toString()).put("periodEnd", "2031-12-31")), 201);

    // 1. The patient books her own visit in the app; the front desk verifies her coverage against the insurer.
    String me = platform.token(c.patient());
    String appointment = bookAsPatient(c, me);
    JsonObject eligibility = expect(api.post("/v1/appointments/" + appointment + "/eligibility",
        c.clinic().token(c.clinic().desk), new JsonObject().put("insurerTenantId", c.insurer().tenant.id().toString())),
        200).json();
    assertThat(eligibility.getString("status")).isEqualTo("eligible");
    assertThat(expect(api.get("/v1/appointments/" + appointment + "/eligibility", c.clinic().token(c.clinic().desk)),
        200).json().getString("status")).isEqualTo("eligible");

    // 2. The physician documents the visit; the nurse takes vitals.
    String doctor = c.clinic().token(c.clinic().doctor);
    JsonObject encounter = expect(api.post("/v1/encounters", doctor,
        new JsonObject().put("appointmentId", appointment)), 201).json();
    String visit = "/v1/encounters/" + encounter.getString("id");
    expect(api.patch(visit, doctor, new JsonObject().put("notes", NOTES), "\"" + encounter.getInteger("version") + "\""),
        200);
    expect(api.post(visit + "/vitals", c.clinic().token(c.clinic().nurse), new JsonObject().put("vitals",
        new JsonArray().add(new JsonObject().put("code", "8867-4").put("value", 78).put("unit", "/min")))), 200);
    expect(api.post(visit + "/diagnoses", doctor, new JsonObject().put("code", "E11.9")), 200);
    expect(api.post(visit + "/procedures", doctor, new JsonObject().put("code", "99213")), 200);
    expect(api.post(visit + "/sign", c.clinic().token(c.clinic().nurse), null), 403);

    // 3. Lab order to the linked lab; the lab works it and its results come back to the chart.
    String order = expect(api.post("/v1/lab-orders", doctor, new JsonObject().put("patientId", c.patientId())
        .put("labTenantId", c.lab().tenant.id().toString()).put("encounterId", encounter.getString("id"))
        .put("tests", new JsonArray().add(new JsonObject().put("code", "4548-4").put("display", "Hemoglobin A1c")))),
        201).json().getString("id");
    String tech = c.lab().token(c.lab().staff);
    JsonObject work = Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming&status=received", tech),
        200).items(), items -> !items.isEmpty()).getJsonObject(0);
    assertThat(work.encode()).doesNotContain("depression").doesNotContain(MEMBER_ID);
    expect(api.get(visit, tech), 403);
    String labOrder = "/v1/lab-orders/" + work.getString("id");
    expect(api.post(labOrder + "/status", tech, new JsonObject().put("status", "specimen_collected")), 200);
    expect(api.post(labOrder + "/results", tech, new JsonObject().put("report", "Above goal.").put("results",
        new JsonArray().add(new JsonObject().put("code", "4548-4").put("value", 8.1).put("unit", "%")
            .put("referenceRange", new JsonObject().put("low", 4.0).put("high", 5.6))))), 200);
    JsonObject charted = Await.until(() -> expect(api.get("/v1/lab-orders/" + order, doctor), 200).json(),
        o -> "resulted".equals(o.getString("status")));
    assertThat(charted.getJsonArray("results").getJsonObject(0).getString("flag")).isEqualTo("H");

    // 4. Prescription to the linked pharmacy: checked, dispensed, ready for pickup; the clinic learns of the fill.
    String rx = expect(api.post("/v1/prescriptions", doctor, new JsonObject().put("patientId", c.patientId())
        .put("pharmacyTenantId", c.pharmacy().tenant.id().toString())
        .put("medication", new JsonObject().put("rxnorm", "861007").put("display", "metformin 500 MG Oral Tablet"))
        .put("dose", "1 tablet").put("frequency", "twice daily").put("quantity", 60).put("refills", 2)
        .put("daysSupply", 30)), 201).json().getString("id");
    String pharmacist = c.pharmacy().token(c.pharmacy().staff);
    JsonObject queued = Await.until(() -> expect(api.get("/v1/prescriptions?direction=incoming", pharmacist), 200)
        .items(), items -> !items.isEmpty()).getJsonObject(0);
    assertThat(queued.encode()).doesNotContain("depression").doesNotContain("4548-4");
    expect(api.get("/v1/lab-orders/" + order, pharmacist), 403);
    String filled = "/v1/prescriptions/" + queued.getString("id");
    assertThat(expect(api.get(filled + "/interactions", pharmacist), 200).json().getJsonArray("hits")).isEmpty();
    expect(api.post(filled + "/dispense", pharmacist, new JsonObject().put("lot", "LOT-2026-11A").put("quantity", 60)),
        200);
    Await.until(() -> expect(api.get("/v1/prescriptions/" + rx, doctor), 200).json(),
        p -> "dispensed".equals(p.getString("status")));
    assertThat(topics(c.pharmacy())).contains("prescription.pickup_ready");

    // 5. Signed visit -> charges from the fee schedule -> claim to the insurer -> adjudicated and paid.
    expect(api.post(visit + "/sign", doctor, null), 200);
    String accountant = platform.token(c.accountant());
    expect(api.put("/v1/fees/99213", accountant, new JsonObject().put("amountCents", 15_000).put("currency", "USD")
        .put("display", "Office visit, established patient, low complexity")), 201);
    expect(api.post(visit + "/charges", accountant, null), 200);
    String claim = expect(api.post("/v1/claims", accountant, new JsonObject()
        .put("encounterId", encounter.getString("id")).put("insurerTenantId", c.insurer().tenant.id().toString())),
        201).json().getString("id");
    JsonObject incoming = Await.until(() -> expect(api.get("/v1/claims?direction=incoming", insurerManager), 200)
        .items(), items -> !items.isEmpty()).getJsonObject(0);
    assertThat(incoming.getLong("totalCents")).isEqualTo(15_000L);
    assertThat(incoming.encode()).doesNotContain("depression").doesNotContain("8867-4").doesNotContain("4548-4");
    expect(api.get(visit, insurerManager), 403);
    String adjudicate = "/v1/claims/" + incoming.getString("id");
    expect(api.post(adjudicate + "/adjudicate", insurerManager, new JsonObject().put("decision", "partially_approved")
        .put("approvedCents", 12_000).put("reasons", new JsonArray().add(new JsonObject().put("code", "CO-45")
            .put("text", "Charge exceeds fee schedule")))), 200);
    expect(api.post(adjudicate + "/payments", insurerManager, new JsonObject().put("amountCents", 12_000)), 200);
    JsonObject paid = Await.until(() -> expect(api.get("/v1/claims/" + claim, accountant), 200).json(),
        x -> "paid".equals(x.getString("status")));
    assertThat(paid.getLong("paidCents")).isEqualTo(12_000L);
    assertThat(topics(c.clinic().tenant.id().value())).contains("claim.status_changed", "lab_result.abnormal");

    // 6. The patient sees one view: her visit, her result, her medication and her bill.
    JsonObject portal = expect(api.get("/v1/portal/records", me), 200).json();
    assertThat(portal.getJsonArray("appointments").getJsonObject(0).getString("id")).isEqualTo(appointment);
    assertThat(portal.getJsonArray("visits")).hasSize(1);
    assertThat(portal.getJsonArray("results").getJsonObject(0).getString("status")).isEqualTo("resulted");
    assertThat(portal.getJsonArray("medications").getJsonObject(0).getString("status")).isEqualTo("dispensed");
    JsonObject bill = portal.getJsonArray("bills").getJsonObject(0);
    assertThat(bill.getString("status")).isEqualTo("paid");
    assertThat(bill.getLong("balanceCents")).isEqualTo(3_000L);

    // 7. ...and who looked at her record: the staff who read it, and each exchange naming the partner.
    List<JsonObject> accesses = expect(api.get("/v1/portal/access-log?limit=100", me), 200).items().stream()
        .map(JsonObject.class::cast).toList();
    assertThat(accesses).anySatisfy(a -> assertThat(a.getJsonObject("actor").getJsonArray("roles"))
        .contains("receptionist"));
    assertThat(accesses).anySatisfy(a -> assertThat(a.getString("action")).isEqualTo("lab_order.results_received"));
    assertThat(accesses).anySatisfy(a -> assertThat(a.getJsonObject("partner", new JsonObject())
        .getString("tenantId", "")).isEqualTo(c.pharmacy().tenant.id().toString()));

    // 8. What each partner stored: the minimum, in its own tenant, never the clinic's notes.
    for (Partner partner : List.of(c.lab(), c.pharmacy(), c.insurer())) {
      assertThat(storedBy(partner.tenant.id().value())).doesNotContain("depression").doesNotContain("Confidential");
    }
    assertThat(storedBy(c.pharmacy().tenant.id().value())).doesNotContain("Above goal.");
  }

  @Test
  void anUnlinkedTenantSeesNothingAndARevokedLinkStopsNewTraffic() {
    Cast c = cast();
    Partner strangerLab = Partner.lab("us");
    String doctor = c.clinic().token(c.clinic().doctor);
    JsonObject order = new JsonObject().put("patientId", c.patientId())
        .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7")));
    expect(api.post("/v1/lab-orders", doctor, order.copy().put("labTenantId", strangerLab.tenant.id().toString())), 403);
    String placed = expect(api.post("/v1/lab-orders", doctor,
        order.copy().put("labTenantId", c.lab().tenant.id().toString())), 201).json().getString("id");
    Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming", c.lab().token(c.lab().staff)), 200)
        .items(), items -> !items.isEmpty());

    assertThat(expect(api.get("/v1/lab-orders", strangerLab.token(strangerLab.staff)), 200).items()).isEmpty();
    expect(api.get("/v1/lab-orders/" + placed, strangerLab.token(strangerLab.staff)), 404);
    expect(api.get("/v1/patients/" + c.patientId(), strangerLab.token(strangerLab.staff)), 404);
    assertThat(storedBy(strangerLab.tenant.id().value())).doesNotContain("Journey");

    String link = expect(api.get("/v1/partner-links", c.clinic().token(c.clinic().admin)), 200).items().stream()
        .map(JsonObject.class::cast).filter(l -> "lab_orders".equals(l.getString("scope"))).findFirst().orElseThrow()
        .getString("id");
    expect(api.post("/v1/partner-links/" + link + "/revoke", c.clinic().token(c.clinic().admin), null), 200);
    expect(api.post("/v1/lab-orders", doctor, order.copy().put("labTenantId", c.lab().tenant.id().toString())), 403);
    assertThat(expect(api.get("/v1/lab-orders?direction=incoming", c.lab().token(c.lab().staff)), 200).items())
        .hasSize(1);
  }

  @Test
  void aPatientBooksAndCancelsTheirOwnAppointment() {
    Cast c = cast();
    String me = platform.token(c.patient());
    String appointment = bookAsPatient(c, me);
    expect(api.post("/v1/appointments/" + appointment + "/status", me, new JsonObject().put("status", "cancelled")
        .put("reason", "Feeling better")), 200);
    JsonObject portal = expect(api.get("/v1/portal/records", me), 200).json();
    assertThat(portal.getJsonArray("appointments").getJsonObject(0).getString("status")).isEqualTo("cancelled");
    String other = c.clinic().patient("Other", "Olive").getString("id");
    expect(api.post("/v1/appointments", me, new JsonObject().put("patientId", other)
        .put("practitionerId", c.clinic().practitionerId).put("start", Clinic.nextSlot().toString())
        .put("end", Clinic.nextSlot().toString())), 404);
  }

  private String bookAsPatient(Cast c, String token) {
    var start = Clinic.nextSlot();
    return expect(api.post("/v1/appointments", token, new JsonObject().put("patientId", c.patientId())
        .put("practitionerId", c.clinic().practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString()).put("reason", "Check-up")), 201).json()
        .getString("id");
  }

  private List<Object> topics(Partner partner) {
    return topics(partner.tenant.id().value());
  }

  private List<Object> topics(UUID tenant) {
    return Sql.query(platform.superuser("us"), "SELECT topic FROM outbox_event WHERE tenant_id = ?", tenant).stream()
        .map(r -> r.get("topic")).toList();
  }

  /** Everything a tenant holds in the region's clinical tables, as text. */
  private String storedBy(UUID tenant) {
    StringBuilder all = new StringBuilder();
    for (String table : List.of("patient", "encounter", "observation", "diagnosis", "lab_order", "lab_result",
        "prescription", "dispense", "coverage", "claim", "charge")) {
      for (Map<String, Object> row : Sql.query(platform.superuser("us"), "SELECT row_to_json(t)::text AS j FROM "
          + table + " t WHERE tenant_id = ?", tenant)) {
        all.append(row.get("j"));
      }
    }
    return all.toString();
  }
}
