package io.caduceus.api.encounter;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Documenting a visit: entries while open, signing locks, addenda after, and who sees which part. */
class EncounterTest extends ClinicFixture {

  /** An encounter the doctor opened for a new visit of the patient. */
  private JsonObject opened(String patientId) {
    String appointment = clinic.appointment(patientId).getString("id");
    return expect(api.post("/v1/encounters", clinic.token(clinic.doctor),
        new JsonObject().put("appointmentId", appointment)), 201).json();
  }

  /** The user records the vitals on the encounter at the path; the answer, which must have the status. */
  private Api.Response vitals(String path, String token, int status, JsonObject... vitals) {
    return expect(api.post(path + "/vitals", token, new JsonObject().put("vitals", new JsonArray(List.of(vitals)))),
        status);
  }

  /** The user adds a coded entry ("diagnoses", "procedures"); the answer, which must have the status. */
  private Api.Response coded(String path, String entries, String token, String code, int status) {
    return expect(api.post(path + "/" + entries, token, new JsonObject().put("code", code)), status);
  }

  private static JsonObject vital(String code, double value, String unit) {
    return new JsonObject().put("code", code).put("value", value).put("unit", unit);
  }

  @Test
  void aPhysicianDocumentsAndSignsAVisitAndAfterwardsOnlyAddendaAreAccepted() {
    String patient = clinic.patient("Visit", "Vera").getString("id");
    JsonObject e = opened(patient);
    String path = "/v1/encounters/" + e.getString("id");
    String doctor = clinic.token(clinic.doctor);
    assertThat(e.getString("status")).isEqualTo("open");
    assertThat(e.getString("patientId")).isEqualTo(patient);

    Api.Response noted = expect(api.patch(path, doctor, new JsonObject().put("notes", "Cough for 3 days."),
        "\"" + e.getInteger("version") + "\""), 200);
    expect(api.patch(path, doctor, new JsonObject().put("notes", "stale"), "\"" + e.getInteger("version") + "\""), 412);
    assertThat(noted.json().getInteger("version")).as("one change, one version").isEqualTo(e.getInteger("version") + 1);
    vitals(path, doctor, 200, vital("8867-4", 72, "/min"), vital("8310-5", 37.9, "Cel"));
    expect(api.post(path + "/diagnoses", doctor, new JsonObject().put("code", "J20.9")
        .put("display", "Acute bronchitis, unspecified")), 200);
    JsonObject full = coded(path, "procedures", doctor, "99213", 200).json();
    assertThat(full.getString("notes")).isEqualTo("Cough for 3 days.");
    assertThat(full.getJsonArray("vitals")).hasSize(2);
    assertThat(full.getJsonArray("vitals").getJsonObject(1).getString("unit")).isEqualTo("Cel");
    assertThat(full.getJsonArray("diagnoses").getJsonObject(0).getString("code")).isEqualTo("J20.9");
    assertThat(full.getJsonArray("procedures").getJsonObject(0).getInteger("quantity")).isEqualTo(1);
    assertThat(full.getInteger("version")).isGreaterThan(noted.json().getInteger("version"));

    Api.Response stale = api.post(path + "/sign", doctor, null, java.util.Map.of("If-Match",
        "\"" + noted.json().getInteger("version") + "\""));
    expect(stale, 412);
    JsonObject signed = expect(api.post(path + "/sign", doctor, null), 200).json();
    assertThat(signed.getString("status")).isEqualTo("signed");
    assertThat(signed.getString("signedAt")).isNotNull();

    expect(api.patch(path, doctor, new JsonObject().put("notes", "changed"), "\"" + signed.getInteger("version") + "\""),
        409);
    coded(path, "diagnoses", doctor, "R05", 409);
    expect(api.post(path + "/sign", doctor, null), 409);
    JsonObject amended = expect(api.post(path + "/addenda", doctor, new JsonObject()
        .put("text", "Chest X-ray reviewed: clear.")), 200).json();
    assertThat(amended.getJsonArray("addenda").getJsonObject(0).getString("text")).startsWith("Chest X-ray");
    assertThat(Sql.query(platform.superuser("us"), "SELECT topic FROM outbox_event WHERE tenant_id = ?"
        + " AND topic = 'encounter.signed'", clinic.tenant.id().value())).hasSize(1);
  }

  @Test
  void addendaAreForSignedEncountersAndOneEncounterPerAppointment() {
    String patient = clinic.patient("Once", "Olga").getString("id");
    String appointment = clinic.appointment(patient).getString("id");
    String doctor = clinic.token(clinic.doctor);
    String id = expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId", appointment)), 201)
        .json().getString("id");
    expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId", appointment)), 409);
    expect(api.post("/v1/encounters/" + id + "/addenda", doctor, new JsonObject().put("text", "early")), 409);
    expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId", Clinic.unknownId())), 404);
  }

  @Test
  void aCancelledAppointmentCannotBeDocumented() {
    String patient = clinic.patient("Cancel", "Carl").getString("id");
    String appointment = clinic.appointment(patient).getString("id");
    expect(api.post("/v1/appointments/" + appointment + "/status", clinic.token(clinic.desk),
        new JsonObject().put("status", "cancelled")), 200);
    Api.Response refused = expect(api.post("/v1/encounters", clinic.token(clinic.doctor),
        new JsonObject().put("appointmentId", appointment)), 409);
    assertThat(refused.json().getString("detail")).contains("cancelled");
  }

  @Test
  void aNurseRecordsVitalsButMayNotDiagnoseSignOrOpen() {
    String patient = clinic.patient("Nursed", "Nina").getString("id");
    String path = "/v1/encounters/" + opened(patient).getString("id");
    String nurse = clinic.token(clinic.nurse);
    vitals(path, nurse, 200, vital("8480-6", 128, "mm[Hg]"), vital("8462-4", 82, "mm[Hg]"));
    coded(path, "diagnoses", nurse, "I10", 403);
    coded(path, "procedures", nurse, "99213", 403);
    expect(api.post(path + "/sign", nurse, null), 403);
    expect(api.post("/v1/encounters", nurse, new JsonObject().put("appointmentId",
        clinic.appointment(patient).getString("id"))), 403);
    assertThat(expect(api.get(path, nurse), 200).json().getJsonArray("vitals")).hasSize(2);
  }

  @Test
  void implausibleOrMisunitedVitalsAreRejectedAndNothingIsStored() {
    String patient = clinic.patient("Typo", "Tom").getString("id");
    JsonObject e = opened(patient);
    String path = "/v1/encounters/" + e.getString("id");
    String doctor = clinic.token(clinic.doctor);
    Api.Response tooHot = vitals(path, doctor, 400, vital("8867-4", 70, "/min"), vital("8310-5", 379, "Cel"));
    assertThat(tooHot.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/vitals/1/value");
    vitals(path, doctor, 400, vital("29463-7", 70, "mm[Hg]"));
    vitals(path, doctor, 400, vital("1234-5", 70, "kg"));
    coded(path, "diagnoses", doctor, "not-icd", 400);
    coded(path, "procedures", doctor, "9921", 400);
    assertThat(expect(api.get(path, doctor), 200).json().getJsonArray("vitals")).isEmpty();
  }

  @Test
  void anEntryRecordedInErrorIsRemovedWhileOpen() {
    String patient = clinic.patient("Oops", "Otto").getString("id");
    String path = "/v1/encounters/" + opened(patient).getString("id");
    String doctor = clinic.token(clinic.doctor);
    JsonObject e = coded(path, "diagnoses", doctor, "E11.9", 200).json();
    String diagnosis = e.getJsonArray("diagnoses").getJsonObject(0).getString("id");
    expect(api.delete(path + "/procedures/" + diagnosis, doctor), 404);
    expect(api.delete(path + "/diagnoses/" + diagnosis, clinic.token(clinic.nurse)), 403);
    assertThat(expect(api.delete(path + "/diagnoses/" + diagnosis, doctor), 200).json().getJsonArray("diagnoses"))
        .isEmpty();
    expect(api.delete(path + "/bogus/" + diagnosis, doctor), 400);
  }

  @Test
  void receptionistSeesTheEncounterHeaderButNoClinicalContent() {
    String patient = clinic.patient("Private", "Pia").getString("id");
    String path = "/v1/encounters/" + opened(patient).getString("id");
    String doctor = clinic.token(clinic.doctor);
    coded(path, "diagnoses", doctor, "F32.9", 200);
    coded(path, "procedures", doctor, "90834", 200);
    JsonObject withNotes = expect(api.get(path, doctor), 200).json();
    expect(api.patch(path, doctor, new JsonObject().put("notes", "Discussed low mood."),
        "\"" + withNotes.getInteger("version") + "\""), 200);

    JsonObject desk = expect(api.get(path, clinic.token(clinic.desk)), 200).json();
    assertThat(desk.getString("status")).isEqualTo("open");
    assertThat(desk.fieldNames()).doesNotContain("notes", "vitals", "diagnoses", "procedures", "addenda");
    assertThat(expect(api.get("/v1/encounters?patientId=" + patient, clinic.token(clinic.desk)), 200).body())
        .doesNotContain("low mood").doesNotContain("F32.9");

    TestUser accountant = platform.user(clinic.tenant, "accountant");
    JsonObject billing = expect(api.get(path, platform.token(accountant)), 200).json();
    assertThat(billing.getJsonArray("procedures").getJsonObject(0).getString("code")).isEqualTo("90834");
    assertThat(billing.fieldNames()).doesNotContain("notes", "vitals", "addenda");
    vitals(path, clinic.token(clinic.desk), 403, vital("8867-4", 70, "/min"));
  }

  @Test
  void aPatientSeesTheirOwnEncountersOnlyOnceSigned() {
    String patient = clinic.patient("Portal", "Paula").getString("id");
    String other = clinic.patient("Other", "Otis").getString("id");
    String mine = opened(patient).getString("id");
    String theirs = opened(other).getString("id");
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patient)));

    expect(api.get("/v1/encounters/" + mine, me), 404);
    assertThat(expect(api.get("/v1/encounters", me), 200).items()).isEmpty();
    expect(api.post("/v1/encounters/" + mine + "/sign", clinic.token(clinic.doctor), null), 200);
    expect(api.post("/v1/encounters/" + theirs + "/sign", clinic.token(clinic.doctor), null), 200);
    expect(api.get("/v1/encounters/" + mine, me), 200);
    expect(api.get("/v1/encounters/" + theirs, me), 404);
    assertThat(expect(api.get("/v1/encounters", me), 200).items()).hasSize(1);
    expect(api.post("/v1/encounters/" + mine + "/addenda", me, new JsonObject().put("text", "I disagree")), 403);
  }

  @Test
  void anotherTenantCannotReachTheEncounter() {
    Clinic other = Clinic.in("us");
    String patient = clinic.patient("Isolated", "Ida").getString("id");
    String path = "/v1/encounters/" + opened(patient).getString("id");
    String intruder = other.token(other.doctor);
    expect(api.get(path, intruder), 404);
    coded(path, "diagnoses", intruder, "I10", 404);
    expect(api.post(path + "/sign", intruder, null), 404);
    assertThat(expect(api.get("/v1/encounters", intruder), 200).items()).isEmpty();
  }
}
