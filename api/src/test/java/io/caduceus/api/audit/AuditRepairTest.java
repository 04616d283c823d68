package io.caduceus.api.audit;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The platform owner repairs a tenant's broken audit chain through the API: the repair is recorded with who, when
 * and why, in the tenant's own trail; its admins see it in verify; tampering after it is still caught; and nobody
 * else may repair a chain, or learn anything of another tenant's.
 */
class AuditRepairTest extends ClinicFixture {

  private static final String REASON = "re-sealing after the sealer's text-ordering defect (issue 10)";

  private final String owner = platform.token(platform.platformOwner());
  private String patientId;

  @BeforeEach
  void aSealedTrail() {
    patientId = clinic.patientWithHistory("Chain", "Repair");
    platform.sealAuditOf(clinic.tenant);
  }

  @Test
  void thePlatformOwnerRepairsABrokenChainAndTheTenantsAdminsSeeTheRepair() {
    UUID victim = event("patient.read");
    asOwner("UPDATE audit_event SET outcome = 'denied' WHERE id = '" + victim + "'");
    JsonObject seen = expect(api.get(base() + "/audit-events/verify", owner), 200).json();
    assertThat(seen.getBoolean("intact")).isFalse();
    long first = seen.getJsonObject("firstBrokenLink").getLong("seal");

    Api.Response made = expect(api.post(base() + "/audit-repairs", owner, new JsonObject()
        .put("firstBrokenSeal", first).put("reason", REASON)), 201);
    JsonObject repair = made.json();
    assertThat(made.header("Location")).isEqualTo(base() + "/audit-repairs/" + repair.getString("id"));
    assertThat(repair.getString("reason")).isEqualTo(REASON);
    assertThat(repair.getString("repairedBy")).isEqualTo(platform.platformOwner().id().toString());
    assertThat(repair.getJsonObject("supersededSeals").getLong("fromSeal")).isEqualTo(first);
    assertThat(repair.getJsonArray("breaks").getJsonObject(0).getString("reason")).isEqualTo("event_altered");
    assertThat(repair.getJsonArray("breaks").getJsonObject(0).getString("eventId")).isEqualTo(victim.toString());
    assertThat(expect(api.get(made.header("Location"), owner), 200).json()).isEqualTo(repair);

    platform.sealAuditOf(clinic.tenant);
    JsonObject after = verify();
    assertThat(after.getBoolean("intact")).as("after the repair: %s", after).isTrue();
    assertThat(after.getInteger("unsealedEvents")).isZero();
    assertThat(after.getJsonArray("repairs")).containsExactly(repair);
    JsonObject recorded = expect(api.get("/v1/audit-events?action=audit.repair", clinic.token(clinic.admin)), 200)
        .items().getJsonObject(0);
    assertThat(recorded.getString("resourceId")).isEqualTo(repair.getString("id"));
    assertThat(recorded.getJsonObject("actor").getString("userId"))
        .isEqualTo(platform.platformOwner().id().toString());

    // Tampering after the repair is caught, and the repair stays on record.
    asOwner("UPDATE audit_event SET outcome = 'failed' WHERE id = '" + recorded.getString("id") + "'");
    JsonObject tampered = verify();
    assertThat(tampered.getBoolean("intact")).isFalse();
    assertThat(tampered.getJsonObject("firstBrokenLink").getString("eventId")).isEqualTo(recorded.getString("id"));
    assertThat(tampered.getJsonObject("firstBrokenLink").getLong("seal"))
        .isGreaterThan(repair.getJsonObject("supersededSeals").getLong("toSeal"));
    assertThat(tampered.getJsonArray("repairs")).containsExactly(repair);
  }

  @Test
  void aRepairSaysWhyAndConfirmsWhereTheChainFirstBreaks() {
    String path = base() + "/audit-repairs";
    expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", 1)), 400);
    expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", 1).put("reason", "because")), 400);
    expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", 1).put("reason", "          x  ")), 400);
    expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", 0).put("reason", REASON)), 400);
    assertThat(expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", 1).put("reason", REASON)), 409)
        .json().getString("detail")).contains("intact");

    asOwner("DELETE FROM audit_event WHERE id = '" + event("appointment.book") + "'");
    long first = expect(api.get(base() + "/audit-events/verify", owner), 200).json()
        .getJsonObject("firstBrokenLink").getLong("seal");
    assertThat(expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", first + 1)
        .put("reason", REASON)), 409).json().getString("detail")).contains("first breaks at seal " + first);
    expect(api.post(path, owner, new JsonObject().put("firstBrokenSeal", first).put("reason", REASON)), 201);
  }

  @Test
  void onlyThePlatformOwnerRepairsOrSeesATenantsChain() {
    Clinic other = Clinic.in("us");
    String stranger = other.token(other.admin);
    JsonObject body = new JsonObject().put("firstBrokenSeal", 1).put("reason", REASON);
    // The platform scope is checked before the tenant named is looked at: the same 403 for any id.
    expect(api.post(base() + "/audit-repairs", stranger, body), 403);
    expect(api.get(base() + "/audit-events/verify", stranger), 403);
    expect(api.get(base() + "/audit-repairs/" + UUID.randomUUID(), stranger), 403);
    expect(api.post("/v1/platform/tenants/" + Clinic.unknownId() + "/audit-repairs", stranger, body), 403);
    String own = clinic.token(clinic.admin);
    expect(api.post(base() + "/audit-repairs", own, body), 403);
    expect(api.get(base() + "/audit-events/verify", own), 403);
    expect(api.post("/v1/platform/tenants/" + Clinic.unknownId() + "/audit-repairs", owner, body), 404);
    expect(api.get(base() + "/audit-repairs/" + UUID.randomUUID(), owner), 404);
    assertThat(expect(api.get("/v1/audit-events?action=audit.repair", own), 200).items()).isEmpty();
  }

  @Test
  void theAppRoleCannotRewriteRepairsOrSeals() {
    asOwner("UPDATE audit_event SET outcome = 'denied' WHERE id = '" + event("patient.read") + "'");
    long first = expect(api.get(base() + "/audit-events/verify", owner), 200).json()
        .getJsonObject("firstBrokenLink").getLong("seal");
    expect(api.post(base() + "/audit-repairs", owner, new JsonObject().put("firstBrokenSeal", first)
        .put("reason", REASON)), 201);
    DatabaseEndpoint app = TestInfrastructure.get().asApp(platform.superuser(clinic.tenant));
    String scope = "SELECT set_config('app.tenant_id', '" + clinic.tenant.id() + "', true)";
    for (String rewrite : new String[] {"UPDATE audit_repair SET reason = 'nothing happened here'",
        "DELETE FROM audit_repair", "DELETE FROM audit_seal", "UPDATE audit_seal SET seal_hash = '\\x00'"}) {
      assertThatThrownBy(() -> Sql.execute(app, scope, rewrite)).as(rewrite).hasMessageContaining("permission denied");
    }
  }

  private JsonObject verify() {
    return expect(api.get("/v1/audit-events/verify", clinic.token(clinic.admin)), 200).json();
  }

  private String base() {
    return "/v1/platform/tenants/" + clinic.tenant.id();
  }

  private UUID event(String action) {
    return (UUID) Sql.query(platform.superuser("us"), "SELECT id FROM audit_event WHERE tenant_id = ? AND action = ?"
        + " ORDER BY txid, id LIMIT 1", clinic.tenant.id().value(), action).get(0).get("id");
  }

  /** Runs a statement as the database owner, in the clinic's scope: an insider with more rights than the app. */
  private void asOwner(String statement) {
    Sql.execute(platform.owner("us"), "SELECT set_config('app.tenant_id', '" + clinic.tenant.id() + "', true)",
        statement);
  }
}
