package io.caduceus.api.audit;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class AuditTest extends ClinicFixture {

  private String patientId;

  @BeforeEach
  void somePatientHistory() {
    patientId = clinic.patientWithHistory("Audrey", "Trail");
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
  void theSealedChainVerifiesIntact() throws Exception {
    platform.sealAuditOf(clinic.tenant);
    JsonObject verdict = verify();
    assertThat(verdict.getBoolean("intact")).isTrue();
    assertThat(verdict.getInteger("sealedEvents")).isGreaterThanOrEqualTo(3);
    assertThat(verdict.getInteger("seals")).isPositive();
    assertThat(verdict.getInteger("unsealedEvents")).isZero();
    assertThat(verdict.getJsonArray("brokenLinks")).isEmpty();
    assertThat(verdict.containsKey("firstBrokenLink")).isFalse();
    // With the sealer held off the tenant (as while another node's sealer works on it), a new read is unsealed.
    try (AutoCloseable held = holdingTheSealingLock()) {
      expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.doctor)), 200);
      JsonObject later = verify();
      assertThat(later.getBoolean("intact")).isTrue();
      assertThat(later.getInteger("unsealedEvents")).isEqualTo(1);
      assertThat(later.getInteger("sealedEvents")).isEqualTo(verdict.getInteger("sealedEvents"));
    }
  }

  @Test
  void verifyNamesTheFirstEventTheOwnerAltered() {
    platform.sealAuditOf(clinic.tenant);
    UUID victim = (UUID) Sql.query(platform.superuser("us"), "SELECT id FROM audit_event WHERE tenant_id = ?"
        + " AND action = 'patient.read' ORDER BY txid, id LIMIT 1", clinic.tenant.id().value()).get(0).get("id");
    asOwner("UPDATE audit_event SET actor_user_id = '" + UUID.randomUUID() + "' WHERE id = '" + victim + "'");
    JsonObject verdict = verify();
    assertThat(verdict.getBoolean("intact")).isFalse();
    JsonObject broken = verdict.getJsonObject("firstBrokenLink");
    assertThat(broken.getString("reason")).isEqualTo("event_altered");
    assertThat(broken.getString("eventId")).isEqualTo(victim.toString());
  }

  @Test
  void verifyNoticesAnEventTheOwnerDeleted() {
    platform.sealAuditOf(clinic.tenant);
    UUID victim = (UUID) Sql.query(platform.superuser("us"), "SELECT id FROM audit_event WHERE tenant_id = ?"
        + " AND action = 'appointment.book'", clinic.tenant.id().value()).get(0).get("id");
    asOwner("DELETE FROM audit_event WHERE id = '" + victim + "'");
    JsonObject broken = verify().getJsonObject("firstBrokenLink");
    assertThat(broken.getString("reason")).isEqualTo("event_missing");
    assertThat(broken.getString("eventId")).isEqualTo(victim.toString());
  }

  @Test
  void verifyReportsEveryBrokenRangeNotOnlyTheFirst() {
    platform.sealAuditOf(clinic.tenant);
    UUID created = eventOf("patient.create");
    for (int i = 0; i < 2; i++) {
      expect(api.get("/v1/patients/" + patientId, clinic.token(clinic.nurse)), 200);
      platform.sealAuditOf(clinic.tenant);
    }
    List<Map<String, Object>> reads = Sql.query(platform.superuser("us"), "SELECT id, actor_user_id FROM audit_event"
        + " WHERE tenant_id = ? AND actor_user_id = ? ORDER BY txid, id", clinic.tenant.id().value(),
        clinic.nurse.id());
    UUID deleted = (UUID) reads.get(1).get("id");
    long alteredSeal = sealOf(created);
    long forgedSeal = sealOf((UUID) reads.get(0).get("id"));
    long deletedSeal = sealOf(deleted);
    assertThat(alteredSeal).isLessThan(forgedSeal);
    assertThat(forgedSeal).isLessThan(deletedSeal);

    // The owner alters an early event, forges one into a later seal's range, and deletes one from the last.
    asOwner("UPDATE audit_event SET action = 'patient.list' WHERE id = '" + created + "'");
    UUID forged = new UUID(0, 1);
    asOwner("INSERT INTO audit_event (tenant_id, id, txid, occurred_at, actor_user_id, actor_roles, action,"
        + " resource_type, outcome, request_id) SELECT tenant_id, '" + forged + "', last_txid, now(), '"
        + clinic.admin.id() + "', '{tenant_admin}', 'patient.read', 'patient', 'success', 'forged'"
        + " FROM audit_seal WHERE tenant_id = '" + clinic.tenant.id() + "' AND seq = " + forgedSeal);
    asOwner("DELETE FROM audit_event WHERE id = '" + deleted + "'");

    JsonObject verdict = verify();
    assertThat(verdict.getBoolean("intact")).isFalse();
    assertThat(verdict.getJsonObject("firstBrokenLink").getString("eventId")).isEqualTo(created.toString());
    assertThat(verdict.getJsonObject("firstBrokenLink").getInteger("seal")).isEqualTo((int) alteredSeal);
    List<JsonObject> broken = verdict.getJsonArray("brokenLinks").stream().map(JsonObject.class::cast).toList();
    assertThat(broken).extracting(b -> b.getString("reason"), b -> b.getLong("fromSeal"), b -> b.getString("eventId"))
        .containsExactly(
            tuple("event_altered", alteredSeal, created.toString()),
            tuple("event_added", forgedSeal, forged.toString()),
            tuple("event_missing", deletedSeal, deleted.toString()));
    assertThat(verdict.getInteger("brokenRanges")).isEqualTo(3);
  }

  @Test
  void eachTenantHasItsOwnChain() {
    Clinic other = Clinic.in("us");
    other.patient("Separate", "Chain");
    platform.sealAuditOf(clinic.tenant);
    platform.sealAuditOf(other.tenant);
    List<Map<String, Object>> seals = Sql.query(platform.superuser("us"),
        "SELECT tenant_id, seq FROM audit_seal WHERE tenant_id IN (?, ?) AND seq = 1",
        clinic.tenant.id().value(), other.tenant.id().value());
    assertThat(seals).hasSize(2);
    expect(api.get("/v1/audit-events/verify", other.token(other.admin)), 200);
    assertThat(api.get("/v1/audit-events/verify", other.token(other.admin)).json().getBoolean("intact")).isTrue();
  }

  private JsonObject verify() {
    return expect(api.get("/v1/audit-events/verify", clinic.token(clinic.admin)), 200).json();
  }

  /** Runs a statement as the database owner, in the clinic's scope: an insider with more rights than the app. */
  private void asOwner(String statement) {
    Sql.execute(platform.owner("us"), "SELECT set_config('app.tenant_id', '" + clinic.tenant.id() + "', true)",
        statement);
  }

  private UUID eventOf(String action) {
    return (UUID) Sql.query(platform.superuser("us"), "SELECT id FROM audit_event WHERE tenant_id = ? AND action = ?",
        clinic.tenant.id().value(), action).get(0).get("id");
  }

  private long sealOf(UUID event) {
    return ((Number) Sql.query(platform.superuser("us"), "SELECT seq FROM audit_seal WHERE tenant_id = ?"
        + " AND ? = ANY (event_ids)", clinic.tenant.id().value(), event).get(0).get("seq")).longValue();
  }

  /**
   * Holds the clinic's sealing lock, as a sealer busy on another node would, until closed: every sealer skips the
   * tenant meanwhile. (The key is the one AuditSql's TRY_LOCK takes.)
   */
  private AutoCloseable holdingTheSealingLock() throws Exception {
    DatabaseEndpoint db = platform.superuser(clinic.tenant);
    Connection session = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    try (PreparedStatement lock = session.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 7))")) {
      lock.setString(1, clinic.tenant.id().toString());
      lock.execute();
    }
    return session::close;
  }
}
