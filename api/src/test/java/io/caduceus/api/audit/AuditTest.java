package io.caduceus.api.audit;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class AuditTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private Clinic clinic;
  private String patientId;

  @BeforeEach
  void aClinicWithSomeHistory() {
    clinic = Clinic.in("us");
    patientId = clinic.patient("Audrey", "Trail").getString("id");
    expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.doctor)), 200);
    clinic.appointment(patientId);
  }

  @Test
  void everyAccessIsRecordedWithWhoWhatAndFromWhere() {
    String requestId = "req-" + UUID.randomUUID();
    expect(api.send("GET", "/v1/patients/" + patientId, clinic.token(clinic.nurse), null,
        Map.of("X-Request-Id", requestId)), 200);
    JsonObject event = expect(api.get("/v1/audit-events?patientId=" + patientId + "&actorUserId=" + clinic.nurse.id(),
        clinic.token(clinic.admin)), 200).items().getJsonObject(0);
    assertThat(event.getString("action")).isEqualTo("patient.read");
    assertThat(event.getString("requestId")).isEqualTo(requestId);
    assertThat(event.getString("clientAddress")).isEqualTo("127.0.0.1");
    assertThat(event.getJsonObject("actor").getJsonArray("roles")).containsExactly("nurse");
    assertThat(event.getString("outcome")).isEqualTo("success");
    List<String> actions = expect(api.get("/v1/audit-events?patientId=" + patientId, clinic.token(clinic.admin)), 200)
        .items().stream().map(e -> ((JsonObject) e).getString("action")).toList();
    assertThat(actions).contains("patient.create", "patient.read", "appointment.book");
  }

  @Test
  void deniedAttemptsAreRecordedToo() {
    expect(api.delete("/v1/patients/" + patientId, clinic.token(clinic.desk)), 403);
    JsonObject event = expect(api.get("/v1/audit-events?action=patient.delete", clinic.token(clinic.admin)), 200)
        .items().getJsonObject(0);
    assertThat(event.getString("outcome")).isEqualTo("denied");
  }

  @Test
  void administrationIsRecordedToo() {
    String admin = clinic.token(clinic.admin);
    String tenantPath = "/v1/tenants/" + clinic.tenant.id();
    var member = platform.user(clinic.tenant, "nurse");
    expect(api.put(tenantPath + "/users/" + member.id() + "/roles", admin,
        new JsonObject().put("roles", List.of("physician"))), 200);
    expect(api.delete(tenantPath + "/users/" + member.id(), admin), 204);
    expect(api.patch(tenantPath, admin, new JsonObject().put("name", "Audited Clinic"),
        api.get(tenantPath, admin).header("ETag")), 200);
    String invitation = expect(api.post(tenantPath + "/invitations", admin, new JsonObject()
        .put("email", "later@audit.test").put("roles", List.of("nurse"))), 201).json()
        .getJsonObject("invitation").getString("id");
    expect(api.delete(tenantPath + "/invitations/" + invitation, admin), 204);
    List<String> actions = expect(api.get("/v1/audit-events?limit=20", admin), 200).items().stream()
        .map(e -> ((JsonObject) e).getString("action")).toList();
    assertThat(actions).contains("member.roles", "member.remove", "tenant.settings", "invitation.create",
        "invitation.revoke");
  }

  @Test
  void onlyAdministratorsReadTheTrail() {
    expect(api.get("/v1/audit-events", clinic.token(clinic.desk)), 403);
    expect(api.get("/v1/audit-events", clinic.token(clinic.doctor)), 403);
    expect(api.get("/v1/audit-events/verify", clinic.token(clinic.doctor)), 403);
  }

  @Test
  void theTrailPagesNewestFirst() {
    String token = clinic.token(clinic.admin);
    Api.Response first = expect(api.get("/v1/audit-events?limit=2", token), 200);
    Api.Response second = expect(api.get("/v1/audit-events?limit=2&cursor=" + first.json().getString("nextCursor"),
        token), 200);
    String newestOfSecond = second.items().getJsonObject(0).getString("occurredAt");
    assertThat(first.items().getJsonObject(1).getString("occurredAt")).isGreaterThanOrEqualTo(newestOfSecond);
  }

  @Test
  void theSealedChainVerifiesIntact() {
    platform.sealAudit();
    JsonObject verdict = expect(api.get("/v1/audit-events/verify", clinic.token(clinic.admin)), 200).json();
    assertThat(verdict.getBoolean("intact")).isTrue();
    assertThat(verdict.getInteger("sealedEvents")).isGreaterThanOrEqualTo(3);
    assertThat(verdict.getInteger("seals")).isPositive();
    assertThat(verdict.getInteger("unsealedEvents")).isZero();
    expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.doctor)), 200);
    JsonObject later = expect(api.get("/v1/audit-events/verify", clinic.token(clinic.admin)), 200).json();
    assertThat(later.getBoolean("intact")).isTrue();
    assertThat(later.getInteger("unsealedEvents")).isPositive();
  }

  @Test
  void verifyNamesTheFirstEventTheOwnerAltered() {
    platform.sealAudit();
    UUID victim = (UUID) Sql.query(platform.superuser("us"), "SELECT id FROM audit_event WHERE tenant_id = ?"
        + " AND action = 'patient.read' ORDER BY txid, id LIMIT 1", clinic.tenant.id().value()).get(0).get("id");
    Sql.execute(platform.owner("us"),
        "SELECT set_config('app.tenant_id', '" + clinic.tenant.id() + "', true)",
        "UPDATE audit_event SET actor_user_id = '" + UUID.randomUUID() + "' WHERE id = '" + victim + "'");
    JsonObject verdict = expect(api.get("/v1/audit-events/verify", clinic.token(clinic.admin)), 200).json();
    assertThat(verdict.getBoolean("intact")).isFalse();
    JsonObject broken = verdict.getJsonObject("firstBrokenLink");
    assertThat(broken.getString("reason")).isEqualTo("event_altered");
    assertThat(broken.getString("eventId")).isEqualTo(victim.toString());
  }

  @Test
  void verifyNoticesAnEventTheOwnerDeleted() {
    platform.sealAudit();
    UUID victim = (UUID) Sql.query(platform.superuser("us"), "SELECT id FROM audit_event WHERE tenant_id = ?"
        + " AND action = 'appointment.book'", clinic.tenant.id().value()).get(0).get("id");
    Sql.execute(platform.owner("us"),
        "SELECT set_config('app.tenant_id', '" + clinic.tenant.id() + "', true)",
        "DELETE FROM audit_event WHERE id = '" + victim + "'");
    JsonObject broken = expect(api.get("/v1/audit-events/verify", clinic.token(clinic.admin)), 200).json()
        .getJsonObject("firstBrokenLink");
    assertThat(broken.getString("reason")).isEqualTo("event_missing");
    assertThat(broken.getString("eventId")).isEqualTo(victim.toString());
  }

  @Test
  void eachTenantHasItsOwnChain() {
    Clinic other = Clinic.in("us");
    other.patient("Separate", "Chain");
    platform.sealAudit();
    List<Map<String, Object>> seals = Sql.query(platform.superuser("us"),
        "SELECT tenant_id, seq FROM audit_seal WHERE tenant_id IN (?, ?) AND seq = 1",
        clinic.tenant.id().value(), other.tenant.id().value());
    assertThat(seals).hasSize(2);
    expect(api.get("/v1/audit-events/verify", other.token(other.admin)), 200);
    assertThat(api.get("/v1/audit-events/verify", other.token(other.admin)).json().getBoolean("intact")).isTrue();
  }
}
