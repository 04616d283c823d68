package io.caduceus.api.tiers;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.Placement;
import io.caduceus.routing.keys.SealBrokenException;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A clinic is exported by its own admin, then offboarded by the platform owner (exported again, its rows deleted,
 * its data key destroyed, so a leftover copy of a sealed field no longer opens), and restored from the archive into
 * another region and tier with every table equal, row for row, to what it was.
 */
class TenantArchiveTest extends ClinicFixture {

  private final String owner = platform.token(platform.platformOwner());

  @Test
  void offboardingShredsTheTenantAndItsArchiveRestoresItExactlyElsewhere() throws Exception {
    String patient = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Archive")
            .put("given", "Ada")).put("birthDate", "1971-04-05").put("sex", "female")
        .put("identifiers", new JsonObject().put("nationalId", "321-54-9876"))).getString("id");
    for (int i = 0; i < 5; i++) {
      clinic.appointment(clinic.patient("Kept" + i, "Row").getString("id"));
    }
    JsonObject before = expect(api.get("/v1/patients/" + patient, clinic.token(clinic.admin)), 200).json();
    assertThat(before.getJsonObject("identifiers").getString("nationalId")).isEqualTo("321-54-9876");

    // The tenant's own admin may export it; another tenant's admin may not.
    Clinic other = Clinic.in("us");
    expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/exports", other.token(other.admin), new JsonObject()),
        403);
    Api.Response own = expect(api.post("/v1/tenants/" + clinic.tenant.id() + "/exports", clinic.token(clinic.admin),
        new JsonObject()), 202);
    JsonObject exported = finished(own.header("Location"), clinic.token(clinic.admin));
    byte[] zip = download(own.header("Location") + "/archive", clinic.token(clinic.admin));
    Map<String, String> files = unzip(zip);
    JsonObject manifest = new JsonObject(files.get("manifest.json"));
    assertThat(manifest.getString("format")).isEqualTo("caduceus-tenant-archive");
    assertThat(manifest.getInteger("formatVersion")).isEqualTo(1);
    assertThat(exported.getString("sha256")).isEqualTo(sha256(zip));
    JsonObject patients = tableOf(manifest, "patient");
    assertThat(patients.getLong("rows")).isEqualTo(6);
    assertThat(files.get(patients.getString("file")).lines().count()).isEqualTo(6);
    assertThat(files.get(patients.getString("file"))).doesNotContain("321-54-9876");
    assertThat(manifest.getJsonArray("tables").stream().map(t -> ((JsonObject) t).getString("name")))
        .as("a derived table is rebuilt on restore, not archived").doesNotContain("patient_name_word");

    // A leftover copy, as a database backup would hold it, and the tables as they are before offboarding.
    platform.sealAuditOf(clinic.tenant);
    byte[] leftover = (byte[]) Sql.query(platform.superuser("us"), "SELECT national_id_sealed FROM patient"
        + " WHERE tenant_id = ? AND id = ?", clinic.tenant.id().value(), UUID.fromString(patient)).get(0)
        .get("national_id_sealed");
    String binding = "patient.national_id/" + patient;
    assertThat(platform.openSealed(clinic.tenant.id(), binding, leftover)).isEqualTo("321-54-9876");

    // (Tallied before the offboarding starts: tallied after, they raced its deletion, table by table.)
    Map<String, String> tablesBefore = tallies(clinic, Placement.shared("us"));
    Api.Response offboarding = expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/offboard", owner,
        new JsonObject()), 202);
    JsonObject offboarded = finished(offboarding.header("Location"), owner);
    assertThat(offboarded.getJsonObject("progress").getInteger("keysDestroyed")).isEqualTo(1);

    // Nothing of the tenant is left, its users are refused, and the leftover copy no longer opens.
    tablesBefore.keySet().forEach(table -> assertThat(count(platform.superuser("us"), "public", table, clinic))
        .as("rows of %s left", table).isZero());
    assertThat(expect(api.get("/v1/platform/tenants/" + clinic.tenant.id(), owner), 200).json()
        .getString("status")).isEqualTo("offboarded");
    expect(api.get("/v1/patients/" + patient, clinic.token(clinic.admin)), 403);
    assertThatThrownBy(() -> platform.openSealed(clinic.tenant.id(), binding, leftover))
        .isInstanceOf(SealBrokenException.class);

    // Restored from the offboarding's archive into another region and tier, the tenant is what it was.
    String jobId = offboarded.getString("id");
    expect(api.post("/v1/platform/tenant-imports", owner, new JsonObject().put("archiveJobId", jobId)
        .put("dataRegion", "us").put("isolationTier", "shared")), 202);
    Api.Response restore = expect(api.post("/v1/platform/tenant-imports", owner, new JsonObject()
        .put("archiveJobId", jobId).put("dataRegion", "eu").put("isolationTier", "schema")), 409);
    assertThat(restore.json().getString("detail")).contains("offboard it first");
    // (The first import above restored it in us/shared; offboard that copy and restore into eu/schema.)
    JsonObject first = finished("/v1/platform/tenants/" + clinic.tenant.id() + "/jobs/" + latestJob(clinic, "import"),
        owner);
    assertThat(first.getString("state")).isEqualTo("succeeded");
    assertThat(tallies(clinic, Placement.shared("us"))).isEqualTo(tablesBefore);

    JsonObject second = finished(expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/offboard", owner,
        new JsonObject()), 202).header("Location"), owner);
    expect(api.post("/v1/platform/tenant-imports", owner, new JsonObject().put("archiveJobId", second.getString("id"))
        .put("dataRegion", "eu").put("isolationTier", "schema")), 202);
    JsonObject imported = finished("/v1/platform/tenants/" + clinic.tenant.id() + "/jobs/"
        + latestJob(clinic, "import"), owner);
    assertThat(imported.getJsonObject("progress").getInteger("verified")).isPositive();
    Placement eu = Placement.of(clinic.tenant.id(), "eu", IsolationTier.SCHEMA);
    Map<String, String> tablesAfter = tallies(clinic, eu);
    assertThat(tablesAfter).isEqualTo(tablesBefore);
    JsonObject tenant = expect(api.get("/v1/platform/tenants/" + clinic.tenant.id(), owner), 200).json();
    assertThat(tenant.getString("status")).isEqualTo("active");
    assertThat(tenant.getString("dataRegion")).isEqualTo("eu");
    assertThat(tenant.getString("isolationTier")).isEqualTo("schema");

    // Its users log in again and read the same record, the sealed national id opening under the restored key.
    String admin = platform.login(clinic.admin).json().getString("accessToken");
    JsonObject after = expect(api.get("/v1/patients/" + patient, admin), 200).json();
    assertThat(after.getJsonObject("identifiers").getString("nationalId")).isEqualTo("321-54-9876");
    assertThat(after.getJsonObject("name")).isEqualTo(before.getJsonObject("name"));
    // The name words were rebuilt from the restored patients (the tallies above compared them too).
    assertThat(expect(api.get("/v1/patients?name=arch", admin), 200).items())
        .extracting(p -> ((JsonObject) p).getString("id")).containsExactly(patient);
    assertThat(expect(api.get("/v1/patients?name=row", admin), 200).items()).hasSize(5);
    assertThat(tallies(clinic, Placement.shared("us")).values()).allMatch(t -> t.startsWith("0:"));
  }

  @Test
  void onlyThePlatformOwnerOffboardsOrImports() {
    expect(api.post("/v1/platform/tenants/" + clinic.tenant.id() + "/offboard", clinic.token(clinic.admin),
        new JsonObject()), 403);
    expect(api.post("/v1/platform/tenant-imports", clinic.token(clinic.admin), new JsonObject()
        .put("archiveJobId", UUID.randomUUID().toString()).put("dataRegion", "us")), 403);
    expect(api.post("/v1/platform/tenant-imports", owner, new JsonObject()
        .put("archiveJobId", UUID.randomUUID().toString()).put("dataRegion", "us")), 404);
    expect(api.post("/v1/platform/tenants/" + Clinic.unknownId() + "/offboard", owner, new JsonObject()), 404);
  }

  private JsonObject finished(String location, String token) {
    JsonObject job = Await.until(() -> expect(api.get(location, token), 200).json(),
        j -> !"running".equals(j.getString("state")), Duration.ofSeconds(60));
    assertThat(job.getString("state")).as("job %s", job).isEqualTo("succeeded");
    return job;
  }

  private String latestJob(Clinic clinic, String kind) {
    return (String) Sql.query(platform.superuser("global"), "SELECT id::text AS id FROM tenant_job"
        + " WHERE tenant_id = ? AND kind = ? ORDER BY started_at DESC LIMIT 1", clinic.tenant.id().value(), kind)
        .get(0).get("id");
  }

  private byte[] download(String path, String token) {
    return api.bytes(path, token);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static Map<String, String> unzip(byte[] zip) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        files.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return files;
  }

  private static JsonObject tableOf(JsonObject manifest, String name) {
    return manifest.getJsonArray("tables").stream().map(JsonObject.class::cast)
        .filter(t -> name.equals(t.getString("name"))).findFirst().orElseThrow();
  }

  /** Per tenant table, "rows:checksum" of the clinic's rows in the place. */
  private Map<String, String> tallies(Clinic clinic, Placement place) {
    DatabaseEndpoint db = platform.superuser(place.region());
    Map<String, String> out = new LinkedHashMap<>();
    List<String> tables = Sql.query(db, "SELECT table_name FROM information_schema.columns WHERE table_schema = ?"
        + " AND column_name = 'tenant_id' ORDER BY table_name", place.schema()).stream()
        .map(r -> (String) r.get("table_name")).toList();
    for (String table : tables) {
      Map<String, Object> row = Sql.query(db, "SELECT count(*) AS n, coalesce(sum(hashtextextended(t::text, 0)"
          + "::numeric), 0)::text AS h FROM " + place.schema() + "." + table + " t WHERE tenant_id = ?",
          clinic.tenant.id().value()).get(0);
      out.put(table, row.get("n") + ":" + row.get("h"));
    }
    return out;
  }

  private static long count(DatabaseEndpoint db, String schema, String table, Clinic clinic) {
    return ((Number) Sql.query(db, "SELECT count(*) AS n FROM " + schema + "." + table + " WHERE tenant_id = ?",
        clinic.tenant.id().value()).get(0).get("n")).longValue();
  }
}
