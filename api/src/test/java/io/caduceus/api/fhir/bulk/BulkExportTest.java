package io.caduceus.api.fhir.bulk;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import io.caduceus.api.boot.BulkSweep;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class BulkExportTest extends ClinicFixture {

  private static final Map<String, String> KICK_OFF = Map.of("Accept", "application/fhir+json",
      "Prefer", "respond-async");
  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static final Map<String, String> MANIFEST = Map.of("Accept", "application/json");
  private static final Map<String, String> NDJSON = Map.of("Accept", "application/fhir+ndjson");

  @Test
  void aSystemExportRunsInTheBackgroundToAManifestOfValidNdjson() {
    exportsEndToEnd(clinic);
  }

  @Test
  void exportsRunInTenantSchemasAndDatabasesToo() {
    exportsEndToEnd(Clinic.in("us", IsolationTier.SCHEMA));
    exportsEndToEnd(Clinic.in("us", IsolationTier.DATABASE));
  }

  private void exportsEndToEnd(Clinic c) {
    String token = c.token(c.doctor);
    Api.Response kickOff = expect(api.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202);
    String status = kickOff.header("Content-Location");
    assertThat(status).contains("/fhir/r4/bulk-status/");
    JsonObject manifest = completed(status, token);
    assertThat(manifest.getString("request")).endsWith("/fhir/r4/$export");
    assertThat(Instant.parse(manifest.getString("transactionTime"))).isBefore(Instant.now().plusSeconds(1));
    assertThat(manifest.getBoolean("requiresAccessToken")).isTrue();
    assertThat(manifest.getJsonArray("error")).isEmpty();
    List<String> types = new ArrayList<>();
    for (Object o : manifest.getJsonArray("output")) {
      JsonObject file = (JsonObject) o;
      List<IBaseResource> resources = download(file.getString("url"), token);
      assertThat(resources).hasSize(file.getInteger("count"));
      resources.forEach(r -> assertThat(r.fhirType()).isEqualTo(file.getString("type")));
      types.add(file.getString("type"));
    }
    assertThat(types).contains("Group");
    JsonObject group = json(download(manifest.getJsonArray("output").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("type").equals("Group")).findFirst().orElseThrow().getString("url"), token).get(0));
    assertThat(group.getString("id")).isEqualTo(c.tenant.id().value().toString());
  }

  @Test
  void theKickOffNeedsRespondAsyncFhirJsonNdjsonAndKnownTypes() {
    String token = clinic.token(clinic.doctor);
    outcome(api.send("GET", "/fhir/r4/$export", token, null, FHIR), 400);
    outcome(api.send("GET", "/fhir/r4/$export", token, null, Map.of("Prefer", "respond-async",
        "Accept", "application/json")), 400);
    outcome(api.send("GET", "/fhir/r4/$export?_outputFormat=text/csv", token, null, KICK_OFF), 400);
    outcome(api.send("GET", "/fhir/r4/$export?_type=Spaceship", token, null, KICK_OFF), 400);
    outcome(api.send("GET", "/fhir/r4/$export?_since=yesterday", token, null, KICK_OFF), 400);
    expect(api.send("GET", "/fhir/r4/$export?_outputFormat=application/fhir%2Bndjson", token, null, KICK_OFF), 202);
    expect(api.send("GET", "/fhir/r4/$export", null, null, KICK_OFF), 401);
  }

  @Test
  void typeAndSinceChooseWhatIsExported() {
    String token = clinic.token(clinic.doctor);
    JsonObject onlyGroups = completed(expect(api.send("GET", "/fhir/r4/$export?_type=Group", token, null, KICK_OFF),
        202).header("Content-Location"), token);
    assertThat(onlyGroups.getJsonArray("output").stream().map(o -> ((JsonObject) o).getString("type")))
        .containsExactly("Group");
    String since = Instant.now().toString();
    JsonObject nothingSince = completed(expect(api.send("GET", "/fhir/r4/$export?_type=Group&_since=" + since,
        token, null, KICK_OFF), 202).header("Content-Location"), token);
    assertThat(nothingSince.getJsonArray("output")).as("the group never changes").isEmpty();
    assertThat(nothingSince.getString("request")).contains("_since=");
  }

  @Test
  void cancellingDeletesTheExportAndItsFiles() {
    String token = clinic.token(clinic.doctor);
    String status = expect(api.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202).header("Content-Location");
    String file = firstFile(completed(status, token));
    expect(api.send("DELETE", path(status), token, null, FHIR), 202);
    outcome(api.send("GET", path(status), token, null, MANIFEST), 404);
    outcome(api.send("GET", path(file), token, null, NDJSON), 404);
    outcome(api.send("DELETE", path(status), token, null, FHIR), 404);
    assertThat(rows(clinic, "bulk_export_file")).isZero();
  }

  @Test
  void expiredExportsAreDeletedByTheSweepWithoutAnyRequest() {
    String token = clinic.token(clinic.doctor);
    String status = expect(api.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202).header("Content-Location");
    String file = firstFile(completed(status, token));
    BulkSweep.at(Instant.now());
    expect(api.send("GET", path(file), token, null, NDJSON), 200);
    assertThat(BulkSweep.at(Instant.now().plus(Duration.ofHours(1)).plusSeconds(60))).isPositive();
    assertThat(rows(clinic, "bulk_export_job")).isZero();
    assertThat(rows(clinic, "bulk_export_file")).isZero();
    outcome(api.send("GET", path(file), token, null, NDJSON), 404);
    outcome(api.send("GET", path(status), token, null, MANIFEST), 404);
  }

  @Test
  void anExpiredExportAnswersNotFoundBeforeTheSweepDeletesIt() throws SQLException {
    String token = clinic.token(clinic.doctor);
    String status = expect(api.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202).header("Content-Location");
    String file = firstFile(completed(status, token));
    // The node's own sweep runs every 30 s: a key-share lock keeps the job (and so its files) from it while the
    // expired export is asked for, without keeping anyone from reading or expiring it.
    try (Connection sweepHeldOff = Sql.hold(superuser(clinic), "SELECT 1 FROM " + schema(clinic)
        + ".bulk_export_job WHERE id = '" + jobId(status) + "' FOR KEY SHARE")) {
      Sql.update(superuser(clinic), "UPDATE " + schema(clinic) + ".bulk_export_job SET expires_at = now()"
          + " - interval '1 second' WHERE id = ?", jobId(status));
      outcome(api.send("GET", path(file), token, null, NDJSON), 404);
      outcome(api.send("GET", path(status), token, null, MANIFEST), 404);
      assertThat(rows(clinic, "bulk_export_file")).isPositive();
    }
    BulkSweep.at(Instant.now());
    assertThat(rows(clinic, "bulk_export_file")).isZero();
  }

  @Test
  void aRunThatStoppedBeatingIsTakenOverAndNeverStaysRunning() {
    String token = clinic.token(clinic.doctor);
    String status = expect(api.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202).header("Content-Location");
    completed(status, token);
    // As if the node running it had died mid-way: running, no beat for ten minutes, a partial file.
    crashed(status, 1);
    BulkSweep.at(Instant.now());
    JsonObject again = completed(status, token);
    assertThat(again.getJsonArray("output")).isNotEmpty();
    assertThat(again.getJsonArray("error")).isEmpty();
    assertThat(Sql.query(superuser(clinic), "SELECT attempt FROM " + schema(clinic) + ".bulk_export_job WHERE id = ?",
        jobId(status)).get(0).get("attempt")).isEqualTo(2);
    // Its last attempt dies too: the sweep ends it with an error instead of running it a fourth time.
    crashed(status, BulkExports.MAX_ATTEMPTS);
    BulkSweep.at(Instant.now());
    JsonObject failed = completed(status, token);
    assertThat(failed.getJsonArray("output")).isEmpty();
    JsonArray errors = failed.getJsonArray("error");
    assertThat(errors).hasSize(1);
    List<IBaseResource> outcomes = download(errors.getJsonObject(0).getString("url"), token);
    assertThat(outcomes).singleElement().extracting(IBaseResource::fhirType).isEqualTo("OperationOutcome");
  }

  @Test
  void onlyTheRequesterFindsTheStatusAndTheFiles() {
    String token = clinic.token(clinic.doctor);
    String status = expect(api.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202).header("Content-Location");
    String file = firstFile(completed(status, token));
    String colleague = clinic.token(clinic.nurse);
    Clinic other = Clinic.in("us");
    String stranger = other.token(other.doctor);
    String patientId = clinic.patient("Okafor", "Ngozi").getString("id");
    String patient = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    for (String someoneElse : List.of(colleague, stranger, patient)) {
      outcome(api.send("GET", path(status), someoneElse, null, MANIFEST), 404);
      outcome(api.send("GET", path(file), someoneElse, null, NDJSON), 404);
      outcome(api.send("DELETE", path(status), someoneElse, null, FHIR), 404);
    }
    expect(api.send("GET", path(file), token, null, NDJSON), 200);
    expect(api.send("GET", path(status), token, null, MANIFEST), 200);
  }

  @Test
  void theTenantsGroupReadsAsAValidGroupAndAnotherTenantsIsNotFound() {
    String token = clinic.token(clinic.doctor);
    String id = clinic.tenant.id().value().toString();
    Api.Response group = expect(api.send("GET", "/fhir/r4/Group/" + id, token, null, FHIR), 200);
    assertThat(group.json().getString("resourceType")).isEqualTo("Group");
    FhirValidation.assertValid(group.body());
    Clinic other = Clinic.in("us");
    outcome(api.send("GET", "/fhir/r4/Group/" + id, other.token(other.doctor), null, FHIR), 404);
    outcome(api.send("GET", "/fhir/r4/Group/" + id + "/$export", other.token(other.doctor), null, KICK_OFF), 404);
  }

  @Test
  void hapisGenericClientStartsAnExport() {
    String token = clinic.token(clinic.doctor);
    IGenericClient client = FhirValidation.context()
        .newRestfulGenericClient("http://127.0.0.1:" + platform.app().port() + "/fhir/r4");
    client.registerInterceptor(new BearerTokenAuthInterceptor(token));
    MethodOutcome outcome = client.operation().onServer().named("$export").withNoParameters(Parameters.class)
        .useHttpGet().withAdditionalHeader("Prefer", "respond-async").returnMethodOutcome().execute();
    assertThat(outcome.getResponseStatusCode()).isEqualTo(202);
    List<String> location = outcome.getResponseHeaders().get("content-location");
    assertThat(location).singleElement().asString().contains("/fhir/r4/bulk-status/");
    assertThat(completed(location.get(0), token).getJsonArray("output")).isNotEmpty();
  }

  @Test
  void aPatientExportHoldsThePatientsOfTheTenantAndTheDownloadIsAuditedWithThem() {
    String a = clinic.patient("Delgado", "Maria").getString("id");
    String b = clinic.patient("Okafor", "Ngozi").getString("id");
    Clinic other = Clinic.in("us");
    other.patient("Elsewhere", "Ann");
    String token = clinic.token(clinic.doctor);
    for (String kickOff : List.of("/fhir/r4/Patient/$export", "/fhir/r4/Group/" + clinic.tenant.id().value() + "/$export")) {
      JsonObject manifest = completed(expect(api.send("GET", kickOff, token, null, KICK_OFF), 202)
          .header("Content-Location"), token);
      assertThat(manifest.getJsonArray("error")).isEmpty();
      JsonObject patients = file(manifest, "Patient");
      assertThat(patients.getInteger("count")).isEqualTo(2);
      assertThat(download(patients.getString("url"), token).stream().map(r -> r.getIdElement().getIdPart()))
          .containsExactlyInAnyOrder(a, b);
      assertThat(manifest.getJsonArray("output").stream().map(o -> ((JsonObject) o).getString("type")))
          .as("a compartment export holds no Group").doesNotContain("Group");
    }
    List<String> downloads = AuditRows.of(platform, clinic.tenant, "fhir_export.download");
    assertThat(downloads).hasSize(2).allSatisfy(row -> assertThat(row).startsWith("bulk_export ").contains(a)
        .contains(b).contains(" success "));
    assertThat(AuditRows.of(platform, clinic.tenant, "fhir_export.start")).hasSize(2);
  }

  @Test
  void sinceLeavesOutThePatientsUnchangedSince() {
    clinic.patient("Delgado", "Maria");
    JsonObject later = clinic.patient("Okafor", "Ngozi");
    String token = clinic.token(clinic.doctor);
    String since = URLEncoder.encode(later.getString("updatedAt"), StandardCharsets.UTF_8);
    JsonObject manifest = completed(expect(api.send("GET", "/fhir/r4/Patient/$export?_type=Patient&_since=" + since,
        token, null, KICK_OFF), 202).header("Content-Location"), token);
    assertThat(download(file(manifest, "Patient").getString("url"), token)).singleElement()
        .extracting(r -> r.getIdElement().getIdPart()).isEqualTo(later.getString("id"));
  }

  @Test
  void aPatientsExportHoldsOnlyTheirOwnRecord() {
    String own = clinic.patient("Delgado", "Maria").getString("id");
    clinic.patient("Okafor", "Ngozi");
    String token = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(own)));
    JsonObject manifest = completed(expect(api.send("GET", "/fhir/r4/Patient/$export", token, null, KICK_OFF), 202)
        .header("Content-Location"), token);
    assertThat(download(file(manifest, "Patient").getString("url"), token)).singleElement()
        .extracting(r -> r.getIdElement().getIdPart()).isEqualTo(own);
  }

  private static JsonObject file(JsonObject manifest, String type) {
    return manifest.getJsonArray("output").stream().map(JsonObject.class::cast)
        .filter(f -> f.getString("type").equals(type)).findFirst().orElseThrow(() -> new AssertionError(
            "no " + type + " file in " + manifest.encode()));
  }

  /** Polls a status URL until the export is complete; answers the manifest. */
  private JsonObject completed(String status, String token) {
    Api.Response done = Await.until(() -> api.send("GET", path(status), token, null, MANIFEST), r -> {
      if (r.status() == 202) {
        assertThat(r.header("X-Progress")).isNotBlank();
        assertThat(r.header("Retry-After")).isNotBlank();
        return false;
      }
      return true;
    }, Duration.ofSeconds(90));
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(done.header("Content-Type")).startsWith("application/json");
    return done.json();
  }

  /** A file's lines, each parsed by HAPI and valid. */
  private List<IBaseResource> download(String url, String token) {
    Api.Response file = expect(api.send("GET", path(url), token, null, NDJSON), 200);
    assertThat(file.header("Content-Type")).startsWith("application/fhir+ndjson");
    List<IBaseResource> resources = new ArrayList<>();
    for (String line : file.body().split("\n")) {
      if (!line.isEmpty()) {
        FhirValidation.assertValid(line);
        resources.add(FhirValidation.context().newJsonParser().parseResource(line));
      }
    }
    return resources;
  }

  private static JsonObject json(IBaseResource resource) {
    return new JsonObject(FhirValidation.context().newJsonParser().encodeResourceToString(resource));
  }

  private static String firstFile(JsonObject manifest) {
    return manifest.getJsonArray("output").getJsonObject(0).getString("url");
  }

  private static String path(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static UUID jobId(String status) {
    return UUID.fromString(status.substring(status.lastIndexOf('/') + 1));
  }

  private static void outcome(Api.Response response, int status) {
    expect(response, status);
    assertThat(response.json().getString("resourceType")).isEqualTo("OperationOutcome");
    FhirValidation.assertValid(response.body());
  }

  private void crashed(String status, int attempt) {
    String schema = schema(clinic);
    Sql.update(superuser(clinic), "UPDATE " + schema + ".bulk_export_job SET state = 'running', attempt = ?,"
        + " heartbeat_at = now() - interval '10 minutes', finished_at = NULL, expires_at = NULL WHERE id = ?",
        attempt, jobId(status));
  }

  private long rows(Clinic c, String table) {
    return ((Number) Sql.query(superuser(c), "SELECT count(*) AS n FROM " + schema(c) + "." + table
        + " WHERE tenant_id = ?", c.tenant.id().value()).get(0).get("n")).longValue();
  }

  private io.caduceus.routing.DatabaseEndpoint superuser(Clinic c) {
    return platform.superuser(c.tenant);
  }

  private static String schema(Clinic c) {
    return c.tenant.place().schema();
  }
}
