package io.caduceus.api.emergency;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Conformance;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Break-glass under the scoped access policy: a nurse outside a patient's facility opens the chart by stating a
 * reason, reads it while the access is in force, and every read is marked in the audit trail (the chain still
 * verifies); the privacy officer is alerted, the patient's access log shows it, the report lists it with what was
 * read; it expires or ends; a reason is required; another tenant's patient is not found. Every case runs in every
 * isolation tier (the subclasses).
 */
class EmergencyAccessTest {

  private static final String REASON = "Patient collapsed in the East wing corridor; cardiologist off site";

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final Conformance contract = Conformance.get();
  private Fixture f;
  private String westPatient;

  /** The isolation tier both clinics are onboarded in. */
  IsolationTier tier() {
    return IsolationTier.SHARED;
  }

  /** Clinic A with facilities East and West, a nurse of East and a privacy officer; clinic B. */
  private record Fixture(Clinic a, Clinic b, UUID east, UUID west, TestUser eastNurse, TestUser officer) {
  }

  private static final Map<IsolationTier, Fixture> FIXTURES = new ConcurrentHashMap<>();

  @BeforeEach
  void aScopedClinicWithAPatientAtAnotherFacility() {
    f = FIXTURES.computeIfAbsent(tier(), this::build);
    policy("off");
    Sql.update(owner(), "DELETE FROM " + table("emergency_access") + " WHERE tenant_id = ?", tenant());
    westPatient = f.a().patient("Westfall", "Wilma").getString("id");
    Sql.update(owner(), "INSERT INTO " + table("patient_facility") + " (tenant_id, patient_id, facility_id, added_by)"
        + " VALUES (?, ?, ?, ?)", tenant(), UUID.fromString(westPatient), f.west(), f.a().admin.id());
    policy("facility");
  }

  private Fixture build(IsolationTier tier) {
    Clinic a = Clinic.in("us", tier);
    Clinic b = Clinic.in("us", tier);
    f = new Fixture(a, b, null, null, null, null);
    UUID east = facility("Breakglass East");
    UUID west = facility("Breakglass West");
    TestUser nurse = platform.user(a.tenant, "nurse");
    Sql.update(owner(), "INSERT INTO " + table("staff_group") + " (tenant_id, user_id, group_id, kind, added_by)"
        + " VALUES (?, ?, ?, 'facility', ?)", tenant(), nurse.id(), east, a.admin.id());
    return new Fixture(a, b, east, west, nurse, platform.user(a.tenant, "privacy_officer"));
  }

  @Test
  void aNurseOutsideTheFacilityOpensTheChartAndEveryReadInTheWindowIsMarked() {
    String nurse = token(f.eastNurse());
    String chart = "/v1/patients/" + westPatient;
    expect(api.get(chart, nurse), 404);

    Api.Response opened = contract.check("POST", chart + "/emergency-access", expect(api.post(chart
        + "/emergency-access", nurse, new JsonObject().put("reason", REASON)), 201));
    JsonObject access = opened.json();
    String id = access.getString("id");
    assertThat(opened.header("Location")).isEqualTo("/v1/emergency-access/" + id);
    assertThat(access.getString("patientId")).isEqualTo(westPatient);
    assertThat(access.getString("userId")).isEqualTo(f.eastNurse().id().toString());
    assertThat(access.getString("reason")).isEqualTo(REASON);
    assertThat(access.getString("status")).isEqualTo("active");
    assertThat(Duration.between(Instant.parse(access.getString("grantedAt")),
        Instant.parse(access.getString("expiresAt")))).isEqualTo(Duration.ofMinutes(60));
    // Asking again while it is in force answers the same access: no second window.
    assertThat(contract.check("POST", chart + "/emergency-access", expect(api.post(chart + "/emergency-access", nurse,
        new JsonObject().put("reason", REASON)), 200)).json().getString("id")).isEqualTo(id);

    expect(api.get(chart, nurse), 200);
    assertThat(purposes("patient.read")).containsExactly(null, "emergency_access");
    assertThat(Sql.query(owner(), "SELECT resource_id::text AS r, purpose FROM " + table("audit_event")
        + " WHERE tenant_id = ? AND action = 'patient.emergency_access' AND outcome = 'success'", tenant()))
        .extracting(r -> r.get("r")).containsOnly(id);
    platform.sealAuditOf(f.a().tenant);
    JsonObject verified = expect(api.get("/v1/audit-events/verify", token(f.a().admin)), 200).json();
    assertThat(verified.getBoolean("intact")).as("%s", verified).isTrue();

    theOfficerIsAlertedWithoutThePatientAndTheReasonOnlySealed(id);
    thePatientSeesTheReadsAsEmergencyAccess();
    theReportListsTheUseWithWhatWasRead(id);
  }

  private void theOfficerIsAlertedWithoutThePatientAndTheReasonOnlySealed(String id) {
    List<Map<String, Object>> alerts = Await.until(() -> Sql.query(owner(), "SELECT subject_ref, critical,"
        + " variables::text AS v FROM " + table("message") + " WHERE tenant_id = ? AND topic = 'emergency_access.opened'"
        + " AND recipient_id = ?", tenant(), f.officer().id()), found -> !found.isEmpty(), Duration.ofSeconds(60));
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).get("subject_ref")).isEqualTo(id);
    assertThat(alerts.get(0).get("critical")).isEqualTo(true);
    assertThat((String) alerts.get(0).get("v")).doesNotContain("collapsed").doesNotContain(westPatient)
        .contains("sealedReason");
  }

  private void thePatientSeesTheReadsAsEmergencyAccess() {
    TestUser account = platform.patientAccount(f.a().tenant, UUID.fromString(westPatient));
    JsonArray log = expect(api.get("/v1/portal/access-log?limit=100", token(account)), 200).json()
        .getJsonArray("items");
    List<JsonObject> byNurse = log.stream().map(e -> (JsonObject) e)
        .filter(e -> "patient.read".equals(e.getString("action"))).toList();
    assertThat(byNurse).extracting(e -> e.getString("outcome") + "/" + e.getString("purpose"))
        .containsExactly("success/emergency_access", "not_found/null");
  }

  private void theReportListsTheUseWithWhatWasRead(String id) {
    expect(api.get("/v1/emergency-access", token(f.eastNurse())), 403);
    JsonArray items = contract.check("GET", "/v1/emergency-access", expect(api.get("/v1/emergency-access",
        token(f.officer())), 200)).json().getJsonArray("items");
    assertThat(items).hasSize(1);
    JsonObject use = items.getJsonObject(0);
    assertThat(use.getString("id")).isEqualTo(id);
    assertThat(use.getString("reason")).isEqualTo(REASON);
    assertThat(use.getString("patientId")).isEqualTo(westPatient);
    assertThat(use.getString("userName")).isNotBlank();
    assertThat(use.getJsonArray("reads").stream().map(r -> ((JsonObject) r).getString("action") + "/"
        + ((JsonObject) r).getString("resourceType") + "/" + ((JsonObject) r).getString("resourceId")))
        .contains("patient.read/patient/" + westPatient);
    String later = Instant.parse(use.getString("grantedAt")).plusSeconds(1).toString();
    assertThat(expect(api.get("/v1/emergency-access?from=" + later, token(f.officer())), 200).json()
        .getJsonArray("items")).isEmpty();
    assertThat(expect(api.get("/v1/emergency-access?to=" + later + "&limit=1", token(f.officer())), 200).json()
        .getJsonArray("items")).hasSize(1);
    contract.check("GET", "/v1/emergency-access/" + id, expect(api.get("/v1/emergency-access/" + id,
        token(f.officer())), 200));
  }

  @Test
  void anExpiredOrEndedAccessClosesTheChartAgain() {
    String nurse = token(f.eastNurse());
    String chart = "/v1/patients/" + westPatient;
    expect(api.post(chart + "/emergency-access", nurse, new JsonObject().put("reason", REASON)), 201);
    expect(api.get(chart, nurse), 200);
    Sql.update(owner(), "UPDATE " + table("emergency_access") + " SET granted_at = now() - interval '2 hours',"
        + " expires_at = now() - interval '1 hour' WHERE tenant_id = ?", tenant());
    expect(api.get(chart, nurse), 404);

    String id = expect(api.post(chart + "/emergency-access", nurse, new JsonObject().put("reason", REASON)), 201)
        .json().getString("id");
    expect(api.get(chart, nurse), 200);
    expect(api.post("/v1/emergency-access/" + id + "/end", token(f.a().nurse), null), 404);
    expect(api.post("/v1/emergency-access/" + id + "/end", token(f.officer()), null), 403);
    JsonObject ended = contract.check("POST", "/v1/emergency-access/" + id + "/end",
        expect(api.post("/v1/emergency-access/" + id + "/end", nurse, null), 200)).json();
    assertThat(ended.getString("status")).isEqualTo("ended");
    assertThat(ended.getString("endedAt")).isNotNull();
    expect(api.get(chart, nurse), 404);
    assertThat(expect(api.post("/v1/emergency-access/" + id + "/end", nurse, null), 200).json().getString("endedAt"))
        .isEqualTo(ended.getString("endedAt"));
  }

  @Test
  void withoutAReasonOrWithTooShortAOneNothingOpens() {
    String nurse = token(f.eastNurse());
    String path = "/v1/patients/" + westPatient + "/emergency-access";
    expect(api.post(path, nurse, new JsonObject()), 422);
    expect(api.post(path, nurse, new JsonObject().put("reason", "urgent")), 422);
    expect(api.post(path, nurse, new JsonObject().put("reason", "            ")), 422);
    expect(api.post(path, nurse, new JsonObject().put("reason", "x".repeat(1001))), 400);
    expect(api.post(path, token(f.a().desk), new JsonObject().put("reason", REASON)), 403);
    assertThat(grants()).isZero();
    expect(api.get("/v1/patients/" + westPatient, nurse), 404);
  }

  @Test
  void anotherTenantsNurseNamingThisTenantsPatientFindsNothing() {
    expect(api.post("/v1/patients/" + westPatient + "/emergency-access", token(f.b().nurse),
        new JsonObject().put("reason", REASON)), 404);
    expect(api.post("/v1/patients/" + UUID.randomUUID() + "/emergency-access", token(f.eastNurse()),
        new JsonObject().put("reason", REASON)), 404);
    assertThat(grants()).isZero();
    assertThat(Sql.query(platform.superuser(f.b().tenant), "SELECT count(*) AS n FROM "
        + f.b().tenant.place().schema() + ".emergency_access WHERE tenant_id = ?", f.b().tenant.id().value())
        .get(0).get("n")).isEqualTo(0L);
  }

  private List<Object> purposes(String action) {
    return Sql.query(owner(), "SELECT purpose FROM " + table("audit_event") + " WHERE tenant_id = ? AND action = ?"
        + " AND actor_user_id = ? AND patient_ids @> ARRAY[?::uuid] ORDER BY occurred_at, id", tenant(), action,
        f.eastNurse().id(), westPatient).stream().map(r -> r.get("purpose")).toList();
  }

  private long grants() {
    return (Long) Sql.query(owner(), "SELECT count(*) AS n FROM " + table("emergency_access") + " WHERE tenant_id = ?",
        tenant()).get(0).get("n");
  }

  private void policy(String scope) {
    Sql.update(owner(), "INSERT INTO " + table("access_policy") + " (tenant_id, scope, group_view, updated_by)"
        + " VALUES (?, ?, 'combined', ?) ON CONFLICT (tenant_id) DO UPDATE SET scope = excluded.scope", tenant(), scope,
        f.a().admin.id());
  }

  private UUID facility(String name) {
    UUID id = UUID.randomUUID();
    Sql.update(owner(), "INSERT INTO " + table("facility") + " (tenant_id, id, name, created_by) VALUES (?, ?, ?, ?)",
        tenant(), id, name, f.a().admin.id());
    return id;
  }

  private DatabaseEndpoint owner() {
    return platform.superuser(f.a().tenant);
  }

  private UUID tenant() {
    return f.a().tenant.id().value();
  }

  private String table(String name) {
    return f.a().tenant.place().schema() + "." + name;
  }

  private String token(TestUser user) {
    return platform.token(user);
  }
}
