package io.caduceus.api.portal;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** "Who looked at my record": who is named, and pages that stay full whatever the patient's own reads. */
class AccessLogTest extends ClinicFixture {

  @Test
  void anotherPatientsRefusedAttemptShowsNoIdentity() {
    String victimId = clinic.patient("Victim", "Vera").getString("id");
    String prowlerId = clinic.patient("Prowler", "Paul").getString("id");
    TestUser victim = platform.patientAccount(clinic.tenant, UUID.fromString(victimId));
    TestUser prowler = platform.patientAccount(clinic.tenant, UUID.fromString(prowlerId));
    String prowlerToken = platform.token(prowler);
    assertThat(api.get("/v1/patients/" + victimId, prowlerToken).status()).isIn(403, 404);
    expect(api.get("/v1/patients/" + victimId, clinic.token(clinic.nurse)), 200);

    Api.Response log = expect(api.get("/v1/portal/access-log?limit=100", platform.token(victim)), 200);
    List<JsonObject> entries = log.items().stream().map(JsonObject.class::cast).toList();
    assertThat(log.body()).doesNotContain(prowler.id().toString()).doesNotContain("User [patient]")
        .doesNotContain(prowlerId);
    assertThat(entries).anySatisfy(e -> {
      assertThat(e.getString("outcome")).isIn("denied", "not_found");
      assertThat(e.getJsonObject("actor").getString("kind")).isEqualTo("unidentified");
      assertThat(e.getJsonObject("actor").getJsonArray("roles")).isEmpty();
    });
    assertThat(entries).anySatisfy(e -> {
      assertThat(e.getJsonObject("actor").getString("kind")).isEqualTo("staff");
      assertThat(e.getJsonObject("actor").getString("name")).isEqualTo("User [nurse]");
    });
    assertThat(entries).allSatisfy(e -> assertThat(e.getJsonObject("actor").getJsonArray("roles"))
        .doesNotContain("patient"));
  }

  @Test
  void pagesAreFullAndTheirUnionIsTheWholeLogWhateverThePatientsOwnReads() {
    String patientId = clinic.patient("Paged", "Pia").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(patientId));
    String me = platform.token(patient);
    String nurse = clinic.token(clinic.nurse);
    // Staff accesses interleaved with runs of the patient's own reads, which the log leaves out.
    for (int round = 0; round < 6; round++) {
      for (int i = 0; i < 3; i++) {
        expect(api.get("/v1/patients/" + patientId, nurse), 200);
      }
      for (int i = 0; i < 8; i++) {
        expect(api.get("/v1/portal/access-log?limit=1", me), 200);
      }
    }
    Set<String> whole = staffEvents(clinic, patientId, patient.id());
    assertThat(whole).hasSizeGreaterThanOrEqualTo(18);

    for (int limit : List.of(1, 5, 7, 12, 50)) {
      List<String> seen = walk(me, limit);
      assertThat(seen).as("limit " + limit).doesNotHaveDuplicates();
      assertThat(new HashSet<>(seen)).as("limit " + limit).isEqualTo(whole);
    }
  }

  /** Every page's event ids in order, checking that each page but the last is full. */
  private List<String> walk(String token, int limit) {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      Api.Response page = expect(api.get("/v1/portal/access-log?limit=" + limit
          + (cursor == null ? "" : "&cursor=" + cursor), token), 200);
      cursor = page.json().getString("nextCursor");
      if (cursor != null) {
        assertThat(page.items()).as("a page before the last, limit " + limit).hasSize(limit);
      }
      page.items().forEach(e -> seen.add(((JsonObject) e).getString("eventId")));
    } while (cursor != null);
    return seen;
  }

  /** The tenant's audited accesses to the patient by anyone but the patient, as the database holds them. */
  private Set<String> staffEvents(Clinic clinic, String patientId, UUID self) {
    List<Map<String, Object>> rows = Sql.query(platform.superuser(clinic.tenant),
        "SELECT id::text AS id FROM audit_event WHERE tenant_id = ?::uuid AND ?::uuid = ANY(patient_ids)"
            + " AND actor_user_id <> ?::uuid", clinic.tenant.id().toString(), patientId, self.toString());
    Set<String> ids = new HashSet<>();
    rows.forEach(r -> ids.add((String) r.get("id")));
    return ids;
  }
}
