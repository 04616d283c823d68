package io.caduceus.api.tiers;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.Placement;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Moves a tenant with data through every tier (shared, then a database of its own, then a schema, then back to the
 * shared tables) while it is read and written, and proves after each move that every row arrived unchanged, that
 * the old copy is gone, that a neighbour in the shared tables was not touched, and that writes were refused with
 * 503 and {@code Retry-After} only while the move held them.
 */
class TierMoveTest extends ClinicFixture {

  private static final List<String> GROWING = List.of("audit_event", "audit_seal");
  private static final List<String> WRITTEN_DURING_MOVE = List.of("patient", "patient_name_word");

  private final String owner = platform.token(platform.platformOwner());

  @Test
  void aTenantMovesThroughEveryTierWithNothingLostOrLeftBehind() throws Exception {
    Clinic neighbour = Clinic.in("us");
    String desk = clinic.token(clinic.desk);
    List<String> patients = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      JsonObject p = clinic.patient("Mover" + i, "Ada");
      patients.add(p.getString("id"));
      clinic.appointment(p.getString("id"));
    }
    neighbour.patient("Stays", "Put");
    groupSome(patients);
    Map<String, String> neighbourBefore = tallies(neighbour, Placement.shared("us"), GROWING);

    IsolationTier[] route = {IsolationTier.DATABASE, IsolationTier.SCHEMA, IsolationTier.SHARED};
    Placement from = Placement.shared("us");
    for (IsolationTier tier : route) {
      Map<String, String> before = tallies(clinic, from, GROWING);
      Map<String, Object> groupsBefore = groups(clinic, from, patients.subList(0, 30));
      Set<String> auditBefore = auditIds(clinic, from);

      Api.Response started = api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/move", owner,
          new JsonObject().put("isolationTier", tier.wire()));
      expect(started, 202);
      String location = started.header("Location");
      assertThat(location).endsWith("/moves/" + started.json().getString("id"));

      // While it runs, the tenant is read (every read succeeds) and written (refused only while paused).
      int reads = 0;
      int refusedWrites = 0;
      JsonObject move = started.json();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ("running".equals(move.getString("state")) && System.nanoTime() < deadline) {
        expect(api.get("/v1/patients/" + patients.get(reads % patients.size()), desk), 200);
        reads++;
        Api.Response write = api.post("/v1/patients", desk, new JsonObject()
            .put("name", new JsonObject().put("family", "During").put("given", "Move"))
            .put("birthDate", "1980-02-02").put("sex", "male"));
        if (write.status() == 503) {
          assertThat(write.header("Retry-After")).isEqualTo("2");
          assertThat(write.json().getString("type")).isEqualTo("urn:caduceus:problem:writes-paused");
          refusedWrites++;
        } else {
          expect(write, 201);
          // A write that went through before the pause is part of what the move must carry.
          patients.add(write.json().getString("id"));
        }
        Thread.sleep(50);
        move = expect(api.get(location, owner), 200).json();
      }
      assertThat(move.getString("state")).as("move to %s: %s", tier, move).isEqualTo("succeeded");
      assertThat(refusedWrites).as("writes refused while the move held them").isPositive();
      assertThat(reads).isPositive();

      Placement to = Placement.of(clinic.tenant.id(), "us", tier);
      Map<String, String> after = tallies(clinic, to, GROWING);
      // Every table arrived with the same rows (the audit trail only grew: reads during the move were audited).
      // (Patients written during the move change the patients and their name words.)
      Map<String, String> unchangedBefore = new LinkedHashMap<>(before);
      unchangedBefore.keySet().removeAll(WRITTEN_DURING_MOVE);
      Map<String, String> unchangedAfter = new LinkedHashMap<>(after);
      unchangedAfter.keySet().removeAll(WRITTEN_DURING_MOVE);
      assertThat(unchangedAfter).isEqualTo(unchangedBefore);
      assertThat(count(clinic, to, "patient")).isEqualTo(patients.size());
      // Each patient's groups (region V41), rebuilt by the destination's triggers in the order the rows came.
      assertThat(groups(clinic, to, patients.subList(0, 30))).isEqualTo(groupsBefore);
      assertThat(Sql.query(superuser(clinic, to), "SELECT 1 FROM " + to.schema() + ".patient_name_word w JOIN "
          + to.schema() + ".patient p ON p.tenant_id = w.tenant_id AND p.id = w.patient_id WHERE w.tenant_id = ?"
          + " AND w.group_ids <> p.group_ids", clinic.tenant.id().value())).as("name words out of step").isEmpty();
      assertThat(auditIds(clinic, to)).containsAll(auditBefore);
      assertNothingLeftIn(clinic, from);
      for (String id : patients) {
        expect(api.get("/v1/patients/" + id, desk), 200);
      }
      // The name words were not copied: the destination's trigger wrote them as the patients arrived.
      assertThat(familyNames(api.get("/v1/patients?name=mover2&limit=100", desk))).containsExactly("Mover2",
          "Mover20", "Mover21", "Mover22", "Mover23", "Mover24", "Mover25", "Mover26", "Mover27", "Mover28",
          "Mover29");
      assertThat(api.get("/v1/patients?name=after&limit=100", desk).items()).hasSize(List.of(route).indexOf(tier));
      expect(api.post("/v1/patients", desk, new JsonObject()
          .put("name", new JsonObject().put("family", "After").put("given", tier.wire()))
          .put("birthDate", "1990-03-03").put("sex", "female")), 201);
      patients.add(latestPatient(clinic, to));
      assertThat(tallies(neighbour, Placement.shared("us"), GROWING)).isEqualTo(neighbourBefore);
      assertThat(api.get("/v1/platform/tenants/" + clinic.tenant.id(), owner).json().getString("isolationTier"))
          .isEqualTo(tier.wire());
      from = to;
    }
  }

  @Test
  void aMoveIsRefusedToTheSameTierAndForUnknownTenants() {
    Api.Response same = api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/move", owner,
        new JsonObject().put("isolationTier", "shared"));
    expect(same, 409);
    expect(api.post("/v1/platform/tenants/" + Clinic.unknownId() + "/move", owner,
        new JsonObject().put("isolationTier", "schema")), 404);
    expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/move", owner,
        new JsonObject().put("isolationTier", "sideways")), 400);
    expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/move", clinic.token(clinic.admin),
        new JsonObject().put("isolationTier", "schema")), 403);
    expect(api.get("/v1/platform/tenants/" + clinic.tenant.id() + "/moves/" + Clinic.unknownId(), owner), 404);
  }

  private static List<String> familyNames(Api.Response page) {
    return page.items().stream().map(p -> ((JsonObject) p).getJsonObject("name").getString("family")).toList();
  }

  private String latestPatient(Clinic clinic, Placement place) {
    return (String) Sql.query(superuser(clinic, place), "SELECT id::text AS id FROM " + place.schema()
        + ".patient WHERE tenant_id = ? ORDER BY created_at DESC, id DESC LIMIT 1", clinic.tenant.id().value())
        .get(0).get("id");
  }

  /**
   * A facility with the first ten patients and a care team with the fifth to the fourteenth, so that fourteen patients
   * carry groups (patient.group_ids) and six carry both.
   */
  private void groupSome(List<String> patients) {
    DatabaseEndpoint region = platform.superuser("us");
    UUID tenant = clinic.tenant.id().value();
    UUID site = UUID.randomUUID();
    UUID team = UUID.randomUUID();
    UUID by = UUID.randomUUID();
    Sql.update(region, "INSERT INTO facility (tenant_id, id, name, created_by) VALUES (?, ?, 'Moving site', ?)",
        tenant, site, by);
    Sql.update(region, "INSERT INTO care_team (tenant_id, id, name, created_by) VALUES (?, ?, 'Moving team', ?)",
        tenant, team, by);
    for (int i = 0; i < 14; i++) {
      UUID patient = UUID.fromString(patients.get(i));
      if (i < 10) {
        Sql.update(region, "INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by)"
            + " VALUES (?, ?, ?, ?)", tenant, patient, site, by);
      }
      if (i >= 4) {
        Sql.update(region, "INSERT INTO care_team_patient (tenant_id, patient_id, care_team_id, added_by)"
            + " VALUES (?, ?, ?, ?)", tenant, patient, team, by);
      }
    }
  }

  /** The group_ids of these patients in {@code place}, by id; asserts that fourteen carry groups. */
  private Map<String, Object> groups(Clinic clinic, Placement place, List<String> ids) {
    Map<String, Object> out = new LinkedHashMap<>();
    Sql.query(superuser(clinic, place), "SELECT id::text AS id, group_ids::text AS g FROM " + place.schema()
        + ".patient WHERE tenant_id = ? AND id::text = ANY (string_to_array(?, ',')) ORDER BY id",
        clinic.tenant.id().value(), String.join(",", ids)).forEach(r -> out.put((String) r.get("id"), r.get("g")));
    assertThat(out.values().stream().filter(g -> !"{}".equals(g))).hasSize(14);
    return out;
  }

  private void assertNothingLeftIn(Clinic clinic, Placement place) {
    if (place.tier() == IsolationTier.SHARED) {
      tables(clinic, place).forEach(table -> assertThat(count(clinic, place, table))
          .as("rows of the tenant left in shared %s", table).isZero());
    } else if (place.tier() == IsolationTier.SCHEMA) {
      assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM pg_namespace WHERE nspname = ?",
          place.schema())).as("the old schema").isEmpty();
    } else {
      String database = place.databaseName(platform.superuser("us").database());
      assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM pg_database WHERE datname = ?", database))
          .as("the old database").isEmpty();
    }
  }

  /** Per tenant table (but {@code skip}), "rows:checksum" of the clinic's rows in {@code place}. */
  private Map<String, String> tallies(Clinic clinic, Placement place, List<String> skip) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String table : tables(clinic, place)) {
      if (skip.contains(table)) {
        continue;
      }
      Map<String, Object> row = Sql.query(superuser(clinic, place), "SELECT count(*) AS n,"
          + " coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text AS h FROM " + place.schema() + "."
          + table + " t WHERE tenant_id = ?", clinic.tenant.id().value()).get(0);
      out.put(table, row.get("n") + ":" + row.get("h"));
    }
    return out;
  }

  private long count(Clinic clinic, Placement place, String table) {
    return ((Number) Sql.query(superuser(clinic, place), "SELECT count(*) AS n FROM " + place.schema() + "." + table
        + " WHERE tenant_id = ?", clinic.tenant.id().value()).get(0).get("n")).longValue();
  }

  private Set<String> auditIds(Clinic clinic, Placement place) {
    Set<String> ids = new HashSet<>();
    Sql.query(superuser(clinic, place), "SELECT id::text AS id FROM " + place.schema() + ".audit_event"
        + " WHERE tenant_id = ?", clinic.tenant.id().value()).forEach(r -> ids.add((String) r.get("id")));
    return ids;
  }

  private List<String> tables(Clinic clinic, Placement place) {
    return Sql.query(superuser(clinic, place), "SELECT table_name FROM information_schema.columns"
        + " WHERE table_schema = ? AND column_name = 'tenant_id' ORDER BY table_name", place.schema())
        .stream().map(r -> (String) r.get("table_name")).toList();
  }

  private DatabaseEndpoint superuser(Clinic clinic, Placement place) {
    DatabaseEndpoint region = platform.superuser("us");
    return region.onDatabase(place.databaseName(region.database()));
  }
}
