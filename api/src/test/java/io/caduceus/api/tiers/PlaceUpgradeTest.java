package io.caduceus.api.tiers;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upgrade migrates every tenant schema that is behind its region, reports progress, and when one tenant's
 * schema fails to migrate, only that tenant stops (503) while the others go on; a later run retries it.
 */
class PlaceUpgradeTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();
  private final String owner = platform.token(platform.platformOwner());

  @Test
  void aFailedTenantSchemaStopsThatTenantOnlyAndIsRetried() {
    Clinic healthy = Clinic.in("us", IsolationTier.SCHEMA);
    Clinic broken = Clinic.in("us", IsolationTier.SCHEMA);
    String healthyPatient = healthy.patient("Well", "Kept").getString("id");
    String brokenPatient = broken.patient("Soon", "Stuck").getString("id");
    // Both are behind (as after a deploy that added a migration); the second one's history no longer matches the
    // migrations (its latest one's checksum differs), so Flyway refuses to migrate it. This holds whatever the
    // latest migration is.
    for (Clinic c : new Clinic[] {healthy, broken}) {
      Sql.update(platform.superuser("global"), "UPDATE tenant SET place_version = 'before-upgrade' WHERE id = ?",
          c.tenant.id().value());
    }
    String brokenHistory = broken.tenant.place().schema() + ".schema_history";
    String latest = " WHERE installed_rank = (SELECT max(installed_rank) FROM " + brokenHistory + ")";
    Sql.execute(platform.superuser("us"), "UPDATE " + brokenHistory + " SET checksum = checksum + 1" + latest);

    JsonObject status = upgradeAndWait();
    JsonObject us = region(status, "us");
    assertThat(us.getJsonArray("failed").stream().map(f -> ((JsonObject) f).getString("tenantId")))
        .containsExactly(broken.tenant.id().toString());
    assertThat(((JsonObject) us.getJsonArray("failed").getValue(0)).getString("failure"))
        .isEqualTo("migrating the tenant schema failed");
    assertThat(us.getLong("current")).isEqualTo(us.getLong("placed") - 1);
    assertThat(placeVersion(healthy)).isEqualTo(us.getString("version"));

    expect(api.get("/v1/patients/" + healthyPatient, healthy.token(healthy.desk)), 200);
    Api.Response stopped = Await.until(() -> api.get("/v1/patients/" + brokenPatient,
        broken.token(broken.desk)), r -> r.status() == 503, Duration.ofSeconds(60));
    assertThat(stopped.header("Retry-After")).isEqualTo("30");

    // Repaired by an operator, the next run migrates it and the tenant is served again.
    Sql.execute(platform.superuser("us"), "UPDATE " + brokenHistory + " SET checksum = checksum - 1" + latest);
    JsonObject again = region(upgradeAndWait(), "us");
    assertThat(again.getJsonArray("failed")).isEmpty();
    assertThat(again.getLong("current")).isEqualTo(again.getLong("placed"));
    Await.until(() -> api.get("/v1/patients/" + brokenPatient, broken.token(broken.desk)),
        r -> r.status() == 200, Duration.ofSeconds(60));
  }

  @Test
  void onlyThePlatformOwnerSeesOrStartsUpgrades() {
    Clinic clinic = Clinic.in("us");
    expect(api.get("/v1/platform/tenant-places", clinic.token(clinic.admin)), 403);
    expect(api.post("/v1/platform/tenant-places/upgrade", clinic.token(clinic.admin), new JsonObject()), 403);
  }

  private JsonObject upgradeAndWait() {
    expect(api.post("/v1/platform/tenant-places/upgrade", owner, new JsonObject()), 202);
    return Await.until(() -> expect(api.get("/v1/platform/tenant-places", owner), 200).json(),
        s -> !s.getJsonObject("run").getBoolean("running"), Duration.ofSeconds(60));
  }

  private static JsonObject region(JsonObject status, String code) {
    return status.getJsonArray("regions").stream().map(JsonObject.class::cast)
        .filter(r -> code.equals(r.getString("region"))).findFirst().orElseThrow();
  }

  private String placeVersion(Clinic clinic) {
    return (String) Sql.query(platform.superuser("global"), "SELECT place_version FROM tenant WHERE id = ?",
        clinic.tenant.id().value()).get(0).get("place_version");
  }
}
