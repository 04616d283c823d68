package io.caduceus.api.isolation;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.FacilityRows;
import io.caduceus.api.testing.Sql;
import io.caduceus.api.testing.Tokens;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tenant B tries every way to reach tenant A's patients and appointments, and gets 404 or nothing. The
 * database refuses too: the app role with no tenant set sees no rows, cannot switch RLS off, and cannot alter
 * the audit trail.
 */
class TenantIsolationTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private Clinic a;
  private Clinic b;
  private JsonObject patient;
  private JsonObject appointment;

  /** The isolation tier both clinics are onboarded in; the subclasses run every test against the other tiers. */
  IsolationTier tier() {
    return IsolationTier.SHARED;
  }

  /** Two clinics of one tier and a patient with an appointment at the first; B's attempts never change A's data. */
  private record Fixture(Clinic a, Clinic b, JsonObject patient, JsonObject appointment) {
  }

  // Built once per tier: a schema or database tenant takes a second or two to build and migrate.
  private static final Map<IsolationTier, Fixture> FIXTURES = new ConcurrentHashMap<>();

  @BeforeEach
  void twoClinicsAndAPatientOfTheFirst() {
    Fixture f = FIXTURES.computeIfAbsent(tier(), tier -> {
      Clinic first = Clinic.in("us", tier);
      Clinic second = Clinic.in("us", tier);
      JsonObject registered = first.patient("Isolde", "Marguerite");
      return new Fixture(first, second, registered, first.appointment(registered.getString("id")));
    });
    a = f.a();
    b = f.b();
    patient = f.patient();
    appointment = f.appointment();
  }

  @Test
  void anotherTenantCannotReadAPatientById() {
    expect(api.get("/v1/patients/" + id(patient), b.token(b.desk)), 404);
    expect(api.get("/v1/patients/" + id(patient), a.token(a.desk)), 200);
  }

  @Test
  void anotherTenantFindsNothingBySearch() {
    for (String query : List.of("name=Isolde", "name=marg", "mrn=" + patient.getString("mrn"), "birthDate=1970-01-01",
        "")) {
      Api.Response found = expect(api.get("/v1/patients?" + query, b.token(b.desk)), 200);
      assertThat(found.items().stream().map(p -> ((JsonObject) p).getString("id")))
          .as("B searching '%s'", query).doesNotContain(id(patient));
    }
    assertThat(expect(api.get("/v1/patients?name=Isolde", a.token(a.desk)), 200).items()).hasSize(1);
  }

  @Test
  void aNameSearchFindsOnlyTheSearchersOwnPatients() {
    String own = b.patient("Marguerison", "Bea").getString("id");
    assertThat(ids(expect(api.get("/v1/patients?name=marg", b.token(b.desk)), 200))).containsExactly(own);
    for (String name : List.of("isol", "MARGUERITE", "isolde%20marg")) {
      assertThat(ids(expect(api.get("/v1/patients?name=" + name, b.token(b.desk)), 200))).as("B searching '%s'", name)
          .isEmpty();
    }
    assertThat(ids(expect(api.get("/v1/patients?name=marg", a.token(a.desk)), 200))).containsExactly(id(patient));
  }

  @Test
  void anotherTenantCannotUpdateOrDeleteAPatient() {
    JsonObject change = new JsonObject().put("name", new JsonObject().put("family", "Hijacked"));
    expect(api.patch("/v1/patients/" + id(patient), b.token(b.desk), change, "\"1\""), 404);
    expect(api.delete("/v1/patients/" + id(patient), b.token(b.admin)), 404);
    JsonObject after = expect(api.get("/v1/patients/" + id(patient), a.token(a.desk)), 200).json();
    assertThat(after.getJsonObject("name").getString("family")).isEqualTo("Isolde");
    assertThat(after.getInteger("version")).isEqualTo(1);
  }

  @Test
  void anotherTenantCannotReadListChangeOrDeleteAnAppointment() {
    String path = "/v1/appointments/" + id(appointment);
    String token = b.token(b.desk);
    expect(api.get(path, token), 404);
    assertThat(expect(api.get("/v1/appointments?patientId=" + id(patient), token), 200).items()).isEmpty();
    assertThat(expect(api.get("/v1/appointments?practitionerId=" + a.practitionerId, token), 200).items()).isEmpty();
    assertThat(expect(api.get("/v1/appointments", token), 200).items().stream()
        .map(x -> ((JsonObject) x).getString("id"))).doesNotContain(id(appointment));
    Instant later = Clinic.nextSlot();
    expect(api.patch(path, token, new JsonObject().put("start", later.toString())
        .put("end", later.plusSeconds(1800).toString()), "\"1\""), 404);
    expect(api.post(path + "/status", token, new JsonObject().put("status", "cancelled")), 404);
    expect(api.delete(path, b.token(b.admin)), 404);
    assertThat(expect(api.get(path, a.token(a.desk)), 200).json().getString("status")).isEqualTo("booked");
  }

  /**
   * A tenant's facility and room are no ids another can use: reading the room, listing or booking at them,
   * or giving them to its own practitioner answers 404 or nothing, and its listings hold none of the first's visits.
   */
  @Test
  void anotherTenantFindsNothingAtTheFirstsFacilityOrRoom() {
    // Clinics of their own: once a tenant has a facility, the shared fixture's bookings would have to name one.
    Clinic a = Clinic.in("us", tier());
    Clinic b = Clinic.in("us", tier());
    JsonObject patient = a.patient("Facility", "Fay");
    String site = FacilityRows.add(a, "Isolated site", null);
    String admin = a.token(a.admin);
    expect(api.put("/v1/practitioners/" + a.practitionerId + "/facilities", admin,
        new JsonObject().put("facilityIds", new JsonArray().add(site))), 200);
    String room = expect(api.post("/v1/rooms", admin, new JsonObject().put("facilityId", site).put("name", "Exam")),
        201).json().getString("id");
    Instant start = Clinic.nextSlot();
    String visit = expect(api.post("/v1/appointments", a.token(a.desk), new JsonObject().put("patientId", id(patient))
        .put("practitionerId", a.practitionerId).put("facilityId", site).put("roomId", room)
        .put("start", start.toString()).put("end", start.plusSeconds(1800).toString())), 201).json().getString("id");
    assertThat(expect(api.get("/v1/appointments?facilityId=" + site, a.token(a.desk)), 200).items()).hasSize(1);

    String token = b.token(b.desk);
    expect(api.get("/v1/rooms/" + room, token), 404);
    expect(api.patch("/v1/rooms/" + room, b.token(b.admin), new JsonObject().put("status", "retired"), "\"1\""), 404);
    assertThat(expect(api.get("/v1/rooms?facilityId=" + site, token), 200).items()).isEmpty();
    assertThat(expect(api.get("/v1/appointments?facilityId=" + site, token), 200).items()).isEmpty();
    assertThat(expect(api.get("/v1/appointments?roomId=" + room, token), 200).items()).isEmpty();
    expect(api.post("/v1/rooms", b.token(b.admin), new JsonObject().put("facilityId", site).put("name", "Taken")), 404);
    expect(api.put("/v1/practitioners/" + b.practitionerId + "/facilities", b.token(b.admin),
        new JsonObject().put("facilityIds", new JsonArray().add(site))), 404);
    expect(api.get("/v1/practitioners/" + a.practitionerId + "/facilities", token), 404);
    String own = b.patient("Other", "Olga").getString("id");
    Instant later = Clinic.nextSlot();
    expect(api.post("/v1/appointments", token, new JsonObject().put("patientId", own)
        .put("practitionerId", b.practitionerId).put("facilityId", site)
        .put("start", later.toString()).put("end", later.plusSeconds(1800).toString())), 404);
    assertThat(expect(api.get("/v1/appointments/" + visit, a.token(a.desk)), 200).json().getString("roomId"))
        .isEqualTo(room);
    assertThat(expect(api.get("/v1/rooms/" + room, a.token(a.desk)), 200).json().getString("status"))
        .isEqualTo("active");
  }

  @Test
  void anotherTenantCannotBookWithThePatientOrPractitionerOfTheFirst() {
    Instant start = Clinic.nextSlot();
    JsonObject booking = new JsonObject().put("patientId", id(patient)).put("practitionerId", a.practitionerId)
        .put("start", start.toString()).put("end", start.plusSeconds(1800).toString());
    expect(api.post("/v1/appointments", b.token(b.desk), booking), 404);
  }

  @Test
  void aCursorOfOneTenantIsRefusedByAnother() {
    a.patient("Isolde", "Second");
    String cursor = expect(api.get("/v1/patients?name=Isolde&limit=1", a.token(a.desk)), 200).json()
        .getString("nextCursor");
    assertThat(cursor).isNotNull();
    Api.Response stolen = expect(api.get("/v1/patients?name=Isolde&limit=1&cursor=" + cursor, b.token(b.desk)), 400);
    assertThat(stolen.header("Content-Type")).startsWith("application/problem+json");
    expect(api.get("/v1/patients?name=Isolde&limit=1&cursor=" + cursor, a.token(a.desk)), 200);
  }

  @Test
  void aTokenWhoseTenantWasChangedIsRefused() {
    String token = b.token(b.desk);
    String forged = Tokens.withPayload(token, Tokens.payload(token).put("tid", a.tenant.id().toString()));
    expect(api.get("/v1/patients/" + id(patient), forged), 401);
  }

  @Test
  void aTokenSignedByAnyOtherKeyIsRefused() {
    String token = b.token(b.desk);
    JsonObject claims = Tokens.payload(token).put("tid", a.tenant.id().toString());
    expect(api.get("/v1/patients/" + id(patient), Tokens.signedByAnotherKey(Tokens.header(token), claims)), 401);
    expect(api.get("/v1/patients/" + id(patient), Tokens.unsigned(claims)), 401);
    String publicJwk = api.get("/.well-known/jwks.json", null).json().getJsonArray("keys").getJsonObject(0).encode();
    expect(api.get("/v1/patients/" + id(patient), Tokens.hmacWith(publicJwk, Tokens.header(token), claims)), 401);
  }

  @Test
  void namingAnotherTenantInATenantLevelPathIsForbidden() {
    String other = "/v1/tenants/" + a.tenant.id();
    String token = b.token(b.admin);
    expect(api.get(other, token), 403);
    expect(api.patch(other, token, new JsonObject().put("name", "Taken over"), "\"1\""), 403);
    expect(api.get(other + "/users", token), 403);
    expect(api.post(other + "/invitations", token, new JsonObject().put("email", "x@evil.test")
        .put("roles", List.of("tenant_admin"))), 403);
    expect(api.get("/v1/tenants/" + b.tenant.id(), token), 200);
  }

  @Test
  void probingAnotherTenantsRecordLeavesATraceInTheProbersAuditTrail() {
    expect(api.get("/v1/patients/" + id(patient), b.token(b.desk)), 404);
    Api.Response trail = expect(api.get("/v1/audit-events?action=patient.read&patientId=" + id(patient),
        b.token(b.admin)), 200);
    assertThat(trail.items()).anySatisfy(e -> assertThat(((JsonObject) e).getString("outcome")).isEqualTo("not_found"));
    Api.Response victims = expect(api.get("/v1/audit-events?action=patient.read&patientId=" + id(patient),
        a.token(a.admin)), 200);
    assertThat(victims.items()).isEmpty();
  }

  @Test
  void theAppRoleWithNoTenantSetSeesNoRows() {
    DatabaseEndpoint app = TestInfrastructure.get().asApp(platform.superuser(a.tenant));
    String schema = a.tenant.place().schema();
    List<String> tables = tenantTables(a);
    assertThat(tables).contains("patient", "patient_name_word", "encounter", "lab_order", "prescription", "claim", "exchange_inbox",
        "outbox_event", "audit_event");
    for (String table : tables) {
      long visible = ((Number) Sql.query(app, "SELECT count(*) AS n FROM " + schema + "." + table).get(0).get("n"))
          .longValue();
      assertThat(visible).as("rows of %s visible without a tenant", table).isZero();
    }
    for (String table : List.of("patient", "patient_name_word", "appointment", "audit_event")) {
      assertThat(stored(a, a, table)).as("rows of %s that exist", table).isPositive();
    }
  }

  @Test
  void theTenantsRowsAreStoredInItsOwnPlaceOnly() {
    for (String table : List.of("patient", "patient_name_word", "appointment", "audit_event")) {
      assertThat(stored(a, a, table)).as("%s rows of A in A's place", table).isPositive();
      if (!a.tenant.place().equals(b.tenant.place())) {
        assertThat(stored(b, a, table)).as("%s rows of A in B's place", table).isZero();
      }
      if (tier() != IsolationTier.SHARED) {
        long shared = ((Number) Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM public." + table
            + " WHERE tenant_id = ?", a.tenant.id().value()).get(0).get("n")).longValue();
        assertThat(shared).as("%s rows of A in the shared tables", table).isZero();
      }
    }
  }

  @Test
  void everyTenantTableHasForcedRowLevelSecurityAndTheTenantPolicy() {
    List<Map<String, Object>> unguarded = Sql.query(platform.superuser(a.tenant), "SELECT c.relname FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind = 'r'"
        + " AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id')"
        + " AND NOT (c.relrowsecurity AND c.relforcerowsecurity AND EXISTS (SELECT 1 FROM pg_policy p"
        + "   WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation' AND p.polpermissive AND p.polcmd = '*'))",
        a.tenant.place().schema());
    assertThat(unguarded).isEmpty();
    assertThat(tenantTables(a)).hasSameElementsAs(tenantTables(b));
  }

  /** How many rows of {@code owner}'s tenant {@code table} holds in {@code place}'s place, seen past RLS. */
  private long stored(Clinic place, Clinic owner, String table) {
    return ((Number) Sql.query(platform.superuser(place.tenant), "SELECT count(*) AS n FROM "
        + place.tenant.place().schema() + "." + table + " WHERE tenant_id = ?", owner.tenant.id().value())
        .get(0).get("n")).longValue();
  }

  /** Every table of the clinic's place that holds tenant rows. */
  private List<String> tenantTables(Clinic clinic) {
    return Sql.query(platform.superuser(clinic.tenant), "SELECT table_name FROM information_schema.columns"
        + " WHERE table_schema = ? AND column_name = 'tenant_id' AND table_name IN"
        + " (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ?)"
        + " ORDER BY table_name", clinic.tenant.place().schema(), clinic.tenant.place().schema())
        .stream().map(r -> (String) r.get("table_name")).toList();
  }

  @Test
  void theAppRoleCannotSwitchRowSecurityOffOrAlterTheAuditTrail() {
    DatabaseEndpoint app = TestInfrastructure.get().asApp(platform.superuser(a.tenant));
    String scope = "SELECT set_config('app.tenant_id', '" + a.tenant.id() + "', true), set_config('search_path', '"
        + a.tenant.place().searchPath() + "', true)";
    String patient = a.tenant.place().schema() + ".patient";
    assertThatThrownBy(() -> Sql.execute(app, "ALTER TABLE " + patient + " DISABLE ROW LEVEL SECURITY"))
        .hasMessageContaining("must be owner");
    assertThatThrownBy(() -> Sql.execute(app, "ALTER TABLE " + patient + " NO FORCE ROW LEVEL SECURITY"))
        .hasMessageContaining("must be owner");
    assertThatThrownBy(() -> Sql.execute(app, scope, "UPDATE audit_event SET outcome = 'success'"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> Sql.execute(app, scope, "DELETE FROM audit_event"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> Sql.execute(app, scope, "UPDATE audit_seal SET seal_hash = '\\x00'"))
        .hasMessageContaining("permission denied");
    assertThatThrownBy(() -> Sql.execute(app, "SET row_security = off", "SELECT * FROM " + patient))
        .hasMessageContaining("row-level security");
  }

  private static List<String> ids(Api.Response page) {
    return page.items().stream().map(p -> ((JsonObject) p).getString("id")).toList();
  }

  private static String id(JsonObject resource) {
    return resource.getString("id");
  }
}
