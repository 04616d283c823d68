package io.caduceus.api.fhir.bulk;

import io.caduceus.api.boot.AppConfig;
import io.caduceus.api.boot.Application;
import io.caduceus.api.boot.ConfigLoader;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bulk export's limits: running jobs per tenant and per requester (429 with Retry-After, race-free), resources and
 * characters per file, resources per job, and the NDJSON spellings {@code _outputFormat} may take. The small limits
 * run on a second node of the test deployment configured with them; the defaults on the test node.
 */
class BulkExportLimitsTest {

  private static final TestPlatform platform = TestPlatform.get();
  private static final int PER_FILE = 3;
  /** Three lines of a Patient with a short name fit (about 474 characters each); two and one of a long name do not. */
  private static final int CHARS_PER_FILE = 1_480;
  private static final int PER_JOB = 10;
  private static final Map<String, String> KICK_OFF = Map.of("Accept", "application/fhir+json",
      "Prefer", "respond-async");
  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  private static final Map<String, String> MANIFEST = Map.of("Accept", "application/json");
  private static final Map<String, String> NDJSON = Map.of("Accept", "application/fhir+ndjson");

  private static Application limited;
  private static Api small;
  private final Api api = platform.api();
  private Clinic clinic;

  @BeforeAll
  static void aNodeWithSmallLimits() {
    limited = platform.sibling(Map.of("CADUCEUS_BULK_ACTIVE_PER_TENANT", "2", "CADUCEUS_BULK_ACTIVE_PER_REQUESTER", "5",
        "CADUCEUS_BULK_RESOURCES_PER_FILE", String.valueOf(PER_FILE),
        "CADUCEUS_BULK_CHARS_PER_FILE", String.valueOf(CHARS_PER_FILE),
        "CADUCEUS_BULK_RESOURCES_PER_JOB", String.valueOf(PER_JOB)));
    small = new Api(limited.port());
  }

  @AfterAll
  static void stopIt() {
    if (limited != null) {
      await(limited.stop());
    }
  }

  @BeforeEach
  void aClinic() {
    clinic = Clinic.in("us");
  }

  @Test
  void concurrentKickOffsNeverRunMoreJobsThanTheTenantsLimit() throws Exception {
    String token = clinic.token(clinic.doctor);
    List<Api.Response> answers;
    // No run may finish (and free its slot) while the kick-offs race: their files wait for this lock. Eight at once
    // (without the advisory lock four passed) plus the two runs stay within the tenant's share of the pool (12 of 16).
    try (Connection held = lockFiles()) {
      answers = concurrently(8, () -> small.send("GET", "/fhir/r4/$export", token, null, KICK_OFF));
      assertThat(answers).extracting(Api.Response::status).containsOnly(202, 429);
      assertThat(answers.stream().filter(r -> r.status() == 202)).hasSize(2);
      assertThat(running(clinic)).isEqualTo(2);
      held.rollback();
    }
    for (Api.Response refused : answers.stream().filter(r -> r.status() == 429).toList()) {
      assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
      outcome(refused, 429);
      assertThat(refused.json().getJsonArray("issue").getJsonObject(0).getString("code")).isEqualTo("throttled");
    }
    for (Api.Response started : answers.stream().filter(r -> r.status() == 202).toList()) {
      completed(small, started.header("Content-Location"), token);
    }
    assertThat(running(clinic)).isZero();
    expect(small.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202);
  }

  @Test
  void cancellingARunningExportFreesItsSlotAndAnotherTenantIsNeverCounted() {
    String token = clinic.token(clinic.doctor);
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String status = expect(small.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202)
          .header("Content-Location");
      completed(small, status, token);
      statuses.add(status);
    }
    statuses.forEach(this::stillRunning);
    outcome(small.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 429);
    Clinic other = Clinic.in("us");
    expect(small.send("GET", "/fhir/r4/$export", other.token(other.doctor), null, KICK_OFF), 202);
    expect(small.send("DELETE", path(statuses.get(0)), token, null, FHIR), 202);
    String again = expect(small.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202).header("Content-Location");
    assertThat(completed(small, again, token).getJsonArray("output")).isNotEmpty();
  }

  @Test
  void byDefaultARequesterRunsOneExportAtATimeAndATenantTwo() {
    String doctor = clinic.token(clinic.doctor);
    String first = expect(api.send("GET", "/fhir/r4/$export", doctor, null, KICK_OFF), 202).header("Content-Location");
    completed(api, first, doctor);
    stillRunning(first);
    outcome(api.send("GET", "/fhir/r4/$export", doctor, null, KICK_OFF), 429);
    outcome(api.send("GET", "/fhir/r4/Patient/$export", doctor, null, KICK_OFF), 429);
    String nurse = clinic.token(clinic.nurse);
    String second = expect(api.send("GET", "/fhir/r4/$export", nurse, null, KICK_OFF), 202).header("Content-Location");
    completed(api, second, nurse);
    stillRunning(second);
    String patient = clinic.patient("Delgado", "Maria").getString("id");
    String own = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patient)));
    outcome(api.send("GET", "/fhir/r4/Patient/$export", own, null, KICK_OFF), 429);
    expect(api.send("DELETE", path(first), doctor, null, FHIR), 202);
    expect(api.send("GET", "/fhir/r4/Patient/$export", own, null, KICK_OFF), 202);
  }

  @Test
  void aTypeIsSplitIntoFilesOfAtMostTheConfiguredResourcesAndCharacters() {
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      // Exported in family-name order: a b c fill a file by count, d e and the long-named f pass its characters.
      String given = i == 5 ? "B".repeat(100) : "Ada";
      created.add(clinic.patient("Splitfile" + (char) ('a' + i), given).getString("id"));
    }
    String token = clinic.token(clinic.doctor);
    JsonObject manifest = completed(small, expect(small.send("GET", "/fhir/r4/Patient/$export?_type=Patient", token,
        null, KICK_OFF), 202).header("Content-Location"), token);
    assertThat(manifest.getJsonArray("error")).isEmpty();
    JsonArray output = manifest.getJsonArray("output");
    assertThat(output.stream().map(o -> ((JsonObject) o).getInteger("count")))
        .as("3 by count, 2 by characters, the rest").containsExactly(PER_FILE, 2, 2);
    Set<String> exported = new HashSet<>();
    for (Object o : output) {
      JsonObject file = (JsonObject) o;
      assertThat(file.getString("type")).isEqualTo("Patient");
      Api.Response body = expect(small.send("GET", path(file.getString("url")), token, null, NDJSON), 200);
      List<String> lines = lines(body.body());
      assertThat(lines).hasSize(file.getInteger("count")).hasSizeLessThanOrEqualTo(PER_FILE);
      assertThat(body.body().length()).isLessThanOrEqualTo(CHARS_PER_FILE);
      lines.forEach(FhirValidation::assertValid);
      lines.forEach(line -> exported.add(new JsonObject(line).getString("id")));
    }
    assertThat(exported).isEqualTo(created);
  }

  @Test
  void aJobEndsAtItsResourceCapWithAnErrorEntry() {
    for (int i = 0; i < PER_JOB + 2; i++) {
      clinic.patient("Capped" + (char) ('a' + i), "Ben");
    }
    String token = clinic.token(clinic.doctor);
    JsonObject manifest = completed(small, expect(small.send("GET", "/fhir/r4/$export", token, null, KICK_OFF), 202)
        .header("Content-Location"), token);
    int total = manifest.getJsonArray("output").stream().mapToInt(o -> ((JsonObject) o).getInteger("count")).sum();
    assertThat(total).isEqualTo(PER_JOB);
    JsonArray errors = manifest.getJsonArray("error");
    assertThat(errors).hasSize(1);
    List<String> outcomes = lines(expect(small.send("GET", path(errors.getJsonObject(0).getString("url")), token, null,
        NDJSON), 200).body());
    assertThat(outcomes).singleElement().satisfies(line -> {
      FhirValidation.assertValid(line);
      JsonObject issue = new JsonObject(line).getJsonArray("issue").getJsonObject(0);
      assertThat(issue.getString("code")).isEqualTo("too-costly");
      assertThat(issue.getString("diagnostics")).contains("limit of " + PER_JOB + " resources");
    });
  }

  @Test
  void theLimitsComeFromTheConfigurationFileAndTheEnvironment() {
    assertThat(ConfigLoader.resolve(new JsonObject(), Map.of()).bulk()).isEqualTo(BulkLimits.DEFAULTS);
    AppConfig config = ConfigLoader.resolve(new JsonObject().put("bulk", new JsonObject().put("activePerTenant", 5)
        .put("resourcesPerFile", 50)), Map.of("CADUCEUS_BULK_ACTIVE_PER_TENANT", "7"));
    assertThat(config.bulk()).isEqualTo(new BulkLimits(7, 1, 50, 8_000_000, 1_000_000));
    assertThatThrownBy(() -> ConfigLoader.resolve(new JsonObject().put("bulk", new JsonObject()
        .put("resourcesPerFile", 0)), Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outputFormatTakesTheNdjsonSpellingsOnly() {
    String token = clinic.token(clinic.doctor);
    for (String format : List.of("application/fhir%2Bndjson", "application/ndjson", "ndjson")) {
      String status = expect(small.send("GET", "/fhir/r4/$export?_type=Group&_outputFormat=" + format, token, null,
          KICK_OFF), 202).header("Content-Location");
      assertThat(completed(small, status, token).getJsonArray("output")).hasSize(1);
    }
    for (String format : List.of("text/csv", "application/fhir%2Bjson", "NDJSON2", "")) {
      outcome(small.send("GET", "/fhir/r4/$export?_outputFormat=" + format, token, null, KICK_OFF), 400);
    }
    assertThat(running(clinic)).isZero();
  }

  /** Holds an exclusive lock on the export files of the test region (shared tier), so that no run can finish. */
  private Connection lockFiles() throws Exception {
    DatabaseEndpoint su = platform.superuser(clinic.tenant);
    Connection c = DriverManager.getConnection(su.jdbcUrl(), su.user(), su.password());
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.execute("LOCK TABLE " + clinic.tenant.place().schema() + ".bulk_export_file IN EXCLUSIVE MODE");
    }
    return c;
  }

  private static List<Api.Response> concurrently(int n, java.util.function.Supplier<Api.Response> call) {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<CompletableFuture<Api.Response>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(CompletableFuture.supplyAsync(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          return call.get();
        }, pool));
      }
      start.countDown();
      return calls.stream().map(CompletableFuture::join).toList();
    } finally {
      pool.shutdownNow();
    }
  }

  /** As if the job's run were still under way: running, beating now. */
  private void stillRunning(String status) {
    Sql.update(platform.superuser(clinic.tenant), "UPDATE " + clinic.tenant.place().schema() + ".bulk_export_job"
        + " SET state = 'running', heartbeat_at = now(), finished_at = NULL, expires_at = NULL WHERE id = ?",
        UUID.fromString(status.substring(status.lastIndexOf('/') + 1)));
  }

  private long running(Clinic c) {
    return ((Number) Sql.query(platform.superuser(c.tenant), "SELECT count(*) AS n FROM " + c.tenant.place().schema()
        + ".bulk_export_job WHERE tenant_id = ? AND state = 'running'", c.tenant.id().value()).get(0).get("n"))
        .longValue();
  }

  /** Polls a status URL until the export is complete; answers the manifest. */
  private static JsonObject completed(Api node, String status, String token) {
    Api.Response done = Await.until(() -> node.send("GET", path(status), token, null, MANIFEST),
        r -> r.status() != 202, Duration.ofSeconds(90));
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    return done.json();
  }

  private static List<String> lines(String body) {
    return List.of(body.split("\n")).stream().filter(l -> !l.isEmpty()).toList();
  }

  private static String path(String url) {
    URI uri = URI.create(url);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  private static void outcome(Api.Response response, int status) {
    expect(response, status);
    assertThat(response.json().getString("resourceType")).isEqualTo("OperationOutcome");
    FhirValidation.assertValid(response.body());
  }
}
