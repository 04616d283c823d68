package io.caduceus.api.billing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** An insurer keeps its members' coverage, member ids sealed; a clinic asks it about eligibility for a visit. */
class CoverageTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void anInsurerKeepsCoverageWithTheMemberIdEncryptedAtRest() {
    Billed b = new Billed();
    String path = "/v1/coverages/" + b.coverageId;
    JsonObject coverage = expect(api.get(path, b.insurerToken()), 200).json();
    assertThat(coverage.getString("memberId")).isEqualTo(Billed.MEMBER_ID);
    assertThat(coverage.getString("patientName")).isEqualTo("Maria Garcia");
    assertThat(coverage.getString("status")).isEqualTo("active");

    Map<String, Object> row = Sql.query(platform.superuser("us"), "SELECT member_id_sealed, member_id_index"
        + " FROM coverage WHERE id = ?", UUID.fromString(b.coverageId)).get(0);
    for (Object stored : row.values()) {
      assertThat(new String((byte[]) stored, StandardCharsets.ISO_8859_1)).doesNotContain("448812");
    }

    expect(api.post("/v1/coverages", b.insurerToken(), new JsonObject().put("patientId", b.memberPatientId)
        .put("memberId", " acm-448812-01 ").put("plan", "Other").put("periodStart", "2026-01-01")), 409);
    expect(api.post("/v1/coverages", b.insurerToken(), new JsonObject().put("patientId", b.memberPatientId)
        .put("memberId", "X-1").put("plan", "Other").put("periodStart", "2026-02-01")
        .put("periodEnd", "2026-01-01")), 400);
    expect(api.post("/v1/coverages", b.insurerToken(), new JsonObject().put("patientId", Clinic.unknownId())
        .put("memberId", "X-2").put("plan", "Other").put("periodStart", "2026-01-01")), 404);

    expect(api.patch(path, b.insurerToken(), new JsonObject().put("status", "inactive"), "\"9\""), 412);
    JsonObject changed = expect(api.patch(path, b.insurerToken(), new JsonObject().put("status", "inactive"),
        "\"" + coverage.getInteger("version") + "\""), 200).json();
    assertThat(changed.getString("status")).isEqualTo("inactive");
    assertThat(changed.getString("periodEnd")).isEqualTo("2031-12-31");
    assertThat(expect(api.get("/v1/coverages?status=inactive&patientId=" + b.memberPatientId, b.insurerToken()),
        200).items()).hasSize(1);

    expect(api.get(path, b.clinic.token(b.clinic.desk)), 403);
    Partner other = Partner.insurer("us");
    expect(api.get(path, other.token(other.staff)), 404);
    assertThat(expect(api.get("/v1/coverages", other.token(other.staff)), 200).items()).isEmpty();
  }

  @Test
  void theFrontDeskVerifiesEligibilityAndTheAnswerIsKeptWithTheAppointment() {
    Billed b = new Billed();
    String desk = b.clinic.token(b.clinic.desk);
    String appointment = b.appointment();
    String path = "/v1/appointments/" + appointment + "/eligibility";
    expect(api.get(path, desk), 404);

    JsonObject answer = expect(api.post(path, desk, new JsonObject()
        .put("insurerTenantId", b.insurer.tenant.id().toString())), 200).json();
    assertThat(answer.getString("status")).isEqualTo("eligible");
    assertThat(answer.getString("plan")).isEqualTo("Gold PPO");
    assertThat(answer.getString("insurerName")).isEqualTo("Test " + b.insurer.tenant.slug());
    assertThat(expect(api.get(path, desk), 200).json().getString("status")).isEqualTo("eligible");

    // A member id that is not this patient's answers like an unknown one: the question cannot probe for members.
    assertThat(expect(api.post(path, desk, new JsonObject().put("insurerTenantId", b.insurer.tenant.id().toString())
        .put("memberId", "ACM-000000-00")), 200).json().getString("status")).isEqualTo("no_match");
    String stranger = b.clinic.patient("Stranger", "Sam").getString("id");
    String theirs = b.clinic.appointment(stranger).getString("id");
    assertThat(expect(api.post("/v1/appointments/" + theirs + "/eligibility", desk, new JsonObject()
        .put("insurerTenantId", b.insurer.tenant.id().toString()).put("memberId", Billed.MEMBER_ID)), 200).json()
        .getString("status")).isEqualTo("no_match");
    expect(api.post("/v1/appointments/" + theirs + "/eligibility", desk, new JsonObject()
        .put("insurerTenantId", b.insurer.tenant.id().toString())), 409);

    JsonObject coverage = expect(api.get("/v1/coverages/" + b.coverageId, b.insurerToken()), 200).json();
    expect(api.patch("/v1/coverages/" + b.coverageId, b.insurerToken(), new JsonObject().put("periodEnd", "2026-12-31"),
        "\"" + coverage.getInteger("version") + "\""), 200);
    JsonObject lapsed = expect(api.post(path, desk, new JsonObject()
        .put("insurerTenantId", b.insurer.tenant.id().toString())), 200).json();
    assertThat(lapsed.getString("status")).isEqualTo("not_eligible");
    assertThat(lapsed.getString("reason")).contains("period");

    // Both sides audit the question, each naming the other tenant.
    assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM audit_event WHERE tenant_id = ?"
        + " AND action = 'eligibility.answer' AND partner_tenant_id = ?", b.insurer.tenant.id().value(),
        b.clinic.tenant.id().value())).isNotEmpty();
    assertThat(Sql.query(platform.superuser("us"), "SELECT 1 FROM audit_event WHERE tenant_id = ?"
        + " AND action = 'eligibility.check' AND partner_tenant_id = ?", b.clinic.tenant.id().value(),
        b.insurer.tenant.id().value())).isNotEmpty();

    Partner unlinked = Partner.insurer("us");
    expect(api.post(path, desk, new JsonObject().put("insurerTenantId", unlinked.tenant.id().toString())), 403);
    expect(api.post(path, b.clinic.token(b.clinic.doctor), new JsonObject()
        .put("insurerTenantId", b.insurer.tenant.id().toString())), 403);
    Clinic other = Clinic.in("us");
    expect(api.get(path, other.token(other.desk)), 404);
  }
}
