package io.caduceus.api.portal;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A patient's one view across the tenants they are registered with, and who looked at their record. */
class PortalTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  /** A clinic patient with a portal account whose glucose was ordered from a linked lab and resulted. */
  private record Journey(Clinic clinic, Partner lab, String patientId, TestUser patient, String orderId,
                         String labOrderId, String labPatientId) {
  }

  private Journey resultedJourney() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patientId = clinic.patient("Portal", "Petra").getString("id");
    clinic.appointment(patientId);
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    String orderId = expect(api.post("/v1/lab-orders", clinic.token(clinic.doctor), new JsonObject()
        .put("patientId", patientId).put("labTenantId", lab.tenant.id().toString())
        .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7").put("display", "Glucose")))), 201)
        .json().getString("id");
    JsonObject work = Await.until(() -> expect(api.get("/v1/lab-orders?direction=incoming", lab.token(lab.staff)),
        200).items(), items -> !items.isEmpty()).getJsonObject(0);
    String path = "/v1/lab-orders/" + work.getString("id");
    expect(api.post(path + "/status", lab.token(lab.staff), new JsonObject().put("status", "specimen_collected")), 200);
    expect(api.post(path + "/results", lab.token(lab.staff), new JsonObject().put("results", new JsonArray()
        .add(new JsonObject().put("code", "2345-7").put("value", 88).put("unit", "mg/dL")
            .put("referenceRange", new JsonObject().put("low", 70).put("high", 99))))), 200);
    Await.until(() -> expect(api.get("/v1/lab-orders/" + orderId, clinic.token(clinic.doctor)), 200).json()
        .getString("status"), "resulted"::equals);
    return new Journey(clinic, lab, patientId, patient, orderId, work.getString("id"), work.getString("patientId"));
  }

  @Test
  void aPatientOfAClinicAndALabSeesOneViewWithEachItemOnce() {
    Journey j = resultedJourney();
    platform.joinAsPatient(j.patient(), j.lab().tenant, UUID.fromString(j.labPatientId()));
    String me = platform.token(j.patient());

    JsonObject view = expect(api.get("/v1/portal/records", me), 200).json();
    assertThat(view.getJsonObject("name").getString("family")).isEqualTo("Portal");
    assertThat(view.getJsonArray("sources")).hasSize(2);
    assertThat(view.getJsonArray("sources").stream().map(s -> ((JsonObject) s).getBoolean("available")))
        .containsOnly(true);
    assertThat(view.getJsonArray("appointments")).hasSize(1);
    JsonArray results = view.getJsonArray("results");
    assertThat(results).hasSize(1);
    JsonObject result = results.getJsonObject(0);
    assertThat(result.getString("tenantId")).isEqualTo(j.clinic().tenant.id().toString());
    assertThat(result.getString("status")).isEqualTo("resulted");
    assertThat(result.getJsonArray("results").getJsonObject(0).getString("flag")).isEqualTo("N");
    assertThat(result.containsKey("copyOf")).isFalse();
  }

  @Test
  void thePortalShowsOnlyThePatientsOwnRecords() {
    Journey j = resultedJourney();
    String other = j.clinic().patient("Someone", "Else").getString("id");
    j.clinic().appointment(other);
    JsonObject view = expect(api.get("/v1/portal/records", platform.token(j.patient())), 200).json();
    assertThat(view.getJsonArray("sources")).hasSize(1);
    assertThat(view.getJsonArray("appointments")).hasSize(1);
    assertThat(view.encode()).doesNotContain(other).doesNotContain("Someone");
    expect(api.get("/v1/portal/records", j.clinic().token(j.clinic().doctor)), 403);
    expect(api.get("/v1/portal/access-log", j.clinic().token(j.clinic().admin)), 403);
  }

  @Test
  void thePatientSeesWhoLookedAtTheirRecordAcrossTenants() {
    Journey j = resultedJourney();
    platform.joinAsPatient(j.patient(), j.lab().tenant, UUID.fromString(j.labPatientId()));
    expect(api.get("/v1/patients/" + j.patientId(), j.clinic().token(j.clinic().nurse)), 200);
    String me = platform.token(j.patient());
    expect(api.get("/v1/portal/records", me), 200);

    JsonArray log = expect(api.get("/v1/portal/access-log?limit=100", me), 200).items();
    List<JsonObject> entries = log.stream().map(JsonObject.class::cast).toList();
    assertThat(entries).anySatisfy(e -> {
      assertThat(e.getString("action")).isEqualTo("patient.read");
      assertThat(e.getJsonObject("actor").getJsonArray("roles")).contains("nurse");
      assertThat(e.getJsonObject("actor").getString("name")).isEqualTo("User [nurse]");
      assertThat(e.getString("tenantName")).isEqualTo("Test " + j.clinic().tenant.slug());
    });
    assertThat(entries).anySatisfy(e -> {
      assertThat(e.getString("action")).isEqualTo("lab_order.receive");
      assertThat(e.getString("tenantId")).isEqualTo(j.lab().tenant.id().toString());
      assertThat(e.getJsonObject("actor").getString("kind")).isEqualTo("exchange");
      assertThat(e.getJsonObject("partner").getString("tenantId")).isEqualTo(j.clinic().tenant.id().toString());
    });
    assertThat(entries).noneSatisfy(e -> assertThat(e.getString("action")).startsWith("portal."));
    // Compared as instants: ISO text drops trailing zeros ("…03.264Z"), so it does not sort as text.
    assertThat(entries.stream().map(e -> java.time.Instant.parse(e.getString("at"))).toList())
        .isSortedAccordingTo((a, b) -> b.compareTo(a));
  }

  @Test
  void theAccessLogPagesWithACursorBoundToThePatient() {
    Journey j = resultedJourney();
    String me = platform.token(j.patient());
    Api.Response first = expect(api.get("/v1/portal/access-log?limit=2", me), 200);
    assertThat(first.items()).hasSize(2);
    String cursor = first.json().getString("nextCursor");
    assertThat(cursor).isNotNull();
    JsonArray second = expect(api.get("/v1/portal/access-log?limit=2&cursor=" + cursor, me), 200).items();
    assertThat(second.getJsonObject(0).getString("eventId")).isNotIn(first.items().getJsonObject(0)
        .getString("eventId"), first.items().getJsonObject(1).getString("eventId"));
    TestUser stranger = platform.patientAccount(j.clinic().tenant,
        UUID.fromString(j.clinic().patient("Stranger", "Sid").getString("id")));
    expect(api.get("/v1/portal/access-log?cursor=" + cursor, platform.token(stranger)), 400);
  }
}
