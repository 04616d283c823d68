package io.caduceus.api.http;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Conformance;
import io.caduceus.api.testing.Partner;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class of "a field comes back null where the schema says string": the answers of the main operations, walked
 * as a client would use them, each validated against the contract's declared response ({@link Conformance}).
 */
class ResponseConformanceTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final Conformance contract = Conformance.get();

  @Test
  void aLabOrderFromPlacementToResultsAnswersAsDeclared() {
    Clinic clinic = Clinic.in("us");
    Partner lab = Partner.labLinkedTo(clinic);
    String patientId = clinic.patient("Conform", "Cora").getString("id");
    String doctor = clinic.token(clinic.doctor);
    // One test with a display name and one without: the optional field is absent, never null.
    JsonObject order = call("POST", "/v1/lab-orders", doctor, new JsonObject().put("patientId", patientId)
        .put("labTenantId", lab.tenant.id().toString()).put("tests", new JsonArray()
            .add(new JsonObject().put("code", "2345-7").put("display", "Glucose"))
            .add(new JsonObject().put("code", "2160-0"))), 201).json();
    String path = "/v1/lab-orders/" + order.getString("id");
    call("GET", path, doctor, null, 200);
    call("GET", "/v1/lab-orders", doctor, null, 200);
    String tech = lab.token(lab.staff);
    JsonObject work = Await.until(() -> call("GET", "/v1/lab-orders?direction=incoming", tech, null, 200)
        .items(), items -> !items.isEmpty()).getJsonObject(0);
    String labPath = "/v1/lab-orders/" + work.getString("id");
    call("GET", labPath, tech, null, 200);
    call("POST", labPath + "/status", tech, new JsonObject().put("status", "specimen_collected"), 200);
    call("POST", labPath + "/results", tech, new JsonObject().put("results", new JsonArray()
        .add(new JsonObject().put("code", "2345-7").put("value", 88).put("unit", "mg/dL")
            .put("referenceRange", new JsonObject().put("low", 70).put("high", 99)))
        .add(new JsonObject().put("code", "2160-0").put("value", 1.9).put("unit", "mg/dL"))), 200);
    JsonObject resulted = Await.until(() -> call("GET", path, doctor, null, 200).json(),
        o -> "resulted".equals(o.getString("status")));
    assertThat(resulted.getJsonArray("tests").getJsonObject(1).containsKey("display")).isFalse();

    JsonObject other = call("POST", "/v1/lab-orders", doctor, new JsonObject().put("patientId", patientId)
        .put("labTenantId", lab.tenant.id().toString()).put("tests", new JsonArray()
            .add(new JsonObject().put("code", "718-7"))), 201).json();
    call("POST", "/v1/lab-orders/" + other.getString("id") + "/cancel", doctor, new JsonObject(), 200);
  }

  @Test
  void campaignsOnceAndOnACronAnswerAsDeclared() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    JsonObject content = new JsonObject().put("email", new JsonObject().put("subject", "News")
        .put("body", "Hi {{givenName}}, news from {{tenantName}}."));
    JsonObject recurring = call("POST", "/v1/campaigns", admin, new JsonObject().put("name", "Monthly")
        .put("segment", new JsonObject()).put("content", content).put("schedule", new JsonObject()
            .put("kind", "cron").put("cron", "0 9 1 * *").put("timeZone", "America/New_York")), 201).json();
    assertThat(recurring.getJsonObject("schedule").containsKey("at")).isFalse();
    JsonObject once = call("POST", "/v1/campaigns", admin, new JsonObject().put("name", "Once")
        .put("segment", new JsonObject()).put("content", content).put("schedule", new JsonObject()
            .put("kind", "once").put("at", Instant.now().plus(30, ChronoUnit.DAYS).toString())), 201).json();
    assertThat(once.getJsonObject("schedule").containsKey("cron")).isFalse();
    call("GET", "/v1/campaigns/" + recurring.getString("id"), admin, null, 200);
    call("GET", "/v1/campaigns/" + once.getString("id"), admin, null, 200);
    call("GET", "/v1/campaigns", admin, null, 200);
    call("POST", "/v1/campaigns/" + recurring.getString("id") + "/cancel", admin, new JsonObject(), 200);
  }

  @Test
  void theMainReadsOfAClinicItsStaffAndItsPatientAnswerAsDeclared() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String desk = clinic.token(clinic.desk);
    JsonObject patient = call("POST", "/v1/patients", desk, new JsonObject().put("name", new JsonObject()
        .put("family", "Shape").put("given", "Sol")).put("birthDate", "1980-02-03").put("sex", "female"), 201).json();
    String patientId = patient.getString("id");
    call("GET", "/v1/patients/" + patientId, desk, null, 200);
    call("GET", "/v1/patients?name=sha", desk, null, 200);
    Instant start = Clinic.nextSlot();
    JsonObject appointment = call("POST", "/v1/appointments", desk, new JsonObject().put("patientId", patientId)
        .put("practitionerId", clinic.practitionerId).put("start", start.toString())
        .put("end", start.plus(30, ChronoUnit.MINUTES).toString()), 201).json();
    call("GET", "/v1/appointments/" + appointment.getString("id"), desk, null, 200);
    call("GET", "/v1/appointments?patientId=" + patientId, desk, null, 200);
    call("GET", "/v1/practitioners", desk, null, 200);
    call("GET", "/v1/auth/me", desk, null, 200);
    call("GET", "/v1/tenants/" + clinic.tenant.id(), admin, null, 200);
    call("GET", "/v1/tenants/" + clinic.tenant.id() + "/users", admin, null, 200);
    call("GET", "/v1/tenants/" + clinic.tenant.id() + "/invitations", admin, null, 200);
    call("GET", "/v1/audit-events", admin, null, 200);
    call("GET", "/v1/partner-links", admin, null, 200);
    call("GET", "/v1/partner-invitations", admin, null, 200);
    call("GET", "/v1/engagement/settings", admin, null, 200);
    call("GET", "/v1/engagement/templates?topic=appointment.booked", admin, null, 200);
    call("GET", "/v1/engagement/credentials", admin, null, 200);
    Await.until(() -> call("GET", "/v1/messages?patientId=" + patientId, admin, null, 200).items(),
        items -> !items.isEmpty());

    TestUser account = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    String me = platform.token(account);
    call("GET", "/v1/portal/records", me, null, 200);
    call("GET", "/v1/portal/access-log", me, null, 200);
    call("GET", "/v1/portal/devices", me, null, 200);
    call("GET", "/v1/portal/notification-preferences", me, null, 200);
  }

  private Api.Response call(String method, String path, String token, JsonObject body, int status) {
    Api.Response r = api.send(method, path, token, body == null ? null : body.encode(), Map.of());
    return contract.check(method, path, expect(r, status));
  }
}
