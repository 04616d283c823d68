package io.caduceus.api.isolation;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A tenant's PHI lives in its data region's database and in no other. */
class RegionResidencyTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void anEuTenantsPatientExistsInTheEuDatabaseAndNowhereElse() {
    Clinic berlin = Clinic.in("eu");
    String id = berlin.patient("Residency", "Renate").getString("id");
    String count = "SELECT count(*) AS n FROM patient WHERE id = ?";
    assertThat(((Number) Sql.query(platform.superuser("eu"), count, UUID.fromString(id)).get(0).get("n")).longValue())
        .isEqualTo(1);
    assertThat(((Number) Sql.query(platform.superuser("us"), count, UUID.fromString(id)).get(0).get("n")).longValue())
        .isZero();
    assertThat(Sql.query(platform.superuser("global"),
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('patient', 'appointment', 'audit_event')")
        .get(0).get("n")).isEqualTo(0L);
    String auditedIn = "SELECT count(*) AS n FROM audit_event WHERE tenant_id = ?";
    assertThat(((Number) Sql.query(platform.superuser("us"), auditedIn, berlin.tenant.id().value()).get(0).get("n"))
        .longValue()).isZero();
  }

  @Test
  void oneUserInTwoRegionsReachesEachTenantsDataInItsOwnRegion() {
    Clinic boston = Clinic.in("us");
    Clinic berlin = Clinic.in("eu");
    TestUser locum = platform.user(boston.tenant, "physician");
    platform.join(locum, berlin.tenant, "physician");
    String usPatient = boston.patient("Stateside", "Sam").getString("id");
    String euPatient = berlin.patient("Europa", "Eva").getString("id");
    String usToken = platform.login(locum).json().getString("accessToken");
    expect(api.get("/v1/patients/" + usPatient, usToken), 200);
    expect(api.get("/v1/patients/" + euPatient, usToken), 404);
    String euToken = expect(api.post("/v1/auth/switch-tenant", usToken, new JsonObject()
        .put("tenantId", berlin.tenant.id().toString())), 200).json().getString("accessToken");
    expect(api.get("/v1/patients/" + euPatient, euToken), 200);
    expect(api.get("/v1/patients/" + usPatient, euToken), 404);
  }
}
