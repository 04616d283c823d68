package io.caduceus.api.edge;

import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.live.LiveClient;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.DemoLogins;
import io.caduceus.api.testing.Mailbox;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.embedded.EmbeddedRedisServer;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.keys.TenantSecrets;
import io.caduceus.routing.schema.ClusterBootstrap;
import io.caduceus.routing.schema.DatabaseRoles;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two regions across processes, as deployed: region {@code us} is its own PostgreSQL with two API nodes, region
 * {@code eu} its own PostgreSQL with one node, and the region router in front, each a separate JVM. The control
 * plane lives on the {@code us} server. One embedded Redis is shared by every node (in production each region has
 * its own; sharing one here lets a session ended in one region be seen in the other, which the test does not rely
 * on). Tenants, staff, patients and the patient's account are all created through the router, as a client would.
 * Child output is kept in {@code target/region-router/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegionRouterTest {

  private static final String PASSWORD = "router-test-password-1";
  private static final Path LOGS = Path.of("target", "region-router");
  // Deadlines, not expectations: on a loaded two-core machine a child JVM's start or a burst of requests can take
  // many times what it takes on an idle one, and a deadline only bounds how long a real failure takes to report.
  private static final Duration STARTUP = Duration.ofMinutes(5);
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final List<AutoCloseable> SERVERS = new ArrayList<>();
  private static final List<ChildJvm> PROCESSES = new ArrayList<>();

  private static DatabaseEndpoint usSuperuser;
  private static DatabaseEndpoint euSuperuser;
  private static ChildJvm us1;
  private static ChildJvm us2;
  private static ChildJvm eu1;
  private static ChildJvm router;
  private static Api viaRouter;

  private static String usTenant;
  private static String euTenant;
  private static String usAdmin;
  private static String euAdmin;
  private static String usPatient;
  private static String euPatient;
  private static final String PATIENT_EMAIL = "maria-" + UUID.randomUUID() + "@patients.test";

  @BeforeAll
  static void startTwoRegionsAndTheRouter() throws Exception {
    Files.createDirectories(LOGS);
    CompletableFuture<EmbeddedPostgresServer> usPg = CompletableFuture.supplyAsync(
        () -> EmbeddedPostgresServer.start(LOGS.resolve("pg-us"), 0, true));
    CompletableFuture<EmbeddedPostgresServer> euPg = CompletableFuture.supplyAsync(
        () -> EmbeddedPostgresServer.start(LOGS.resolve("pg-eu"), 0, true));
    EmbeddedRedisServer redis = EmbeddedRedisServer.start(null, 0);
    SERVERS.add(redis);
    SERVERS.add(usPg.join());
    SERVERS.add(euPg.join());
    usSuperuser = usPg.join().superuser();
    euSuperuser = euPg.join().superuser();
    DatabaseRoles roles = new DatabaseRoles("caduceus_owner", "owner-pw", "caduceus_app", "app-pw", "caduceus_scanner");
    CompletableFuture.allOf(
        CompletableFuture.runAsync(() -> ClusterBootstrap.ensure(usSuperuser, roles,
            List.of("caduceus_global", "caduceus_us"))),
        CompletableFuture.runAsync(() -> ClusterBootstrap.ensure(euSuperuser, roles, List.of("caduceus_eu")))).join();

    Map<String, String> common = new HashMap<>();
    common.put("CADUCEUS_GLOBAL_DB_URL", url(usSuperuser, "caduceus_app:app-pw", "caduceus_global"));
    common.put("CADUCEUS_GLOBAL_DB_OWNER_URL", url(usSuperuser, "caduceus_owner:owner-pw", "caduceus_global"));
    common.put("CADUCEUS_REDIS_URL", redis.url());
    common.put("CADUCEUS_MASTER_KEY", MasterKey.generateBase64());
    common.put("CADUCEUS_HTTP_INSTANCES", "1");
    common.put("CADUCEUS_DB_POOL_SIZE", "4");
    common.put("CADUCEUS_ACCESS_LOG", "false");
    // The failover phase sends as fast as it can as one user; quotas would answer 429, which is not under test.
    common.put("CADUCEUS_QUOTAS", "false");
    common.put("CADUCEUS_DATA_DIR", LOGS.resolve("data").toString());

    // The first node migrates the control plane and the us database alone: two nodes migrating one fresh database
    // at once can fail (Flyway's baseline races), so the others start once it is ready.
    us1 = node("us-1", common, "us", usSuperuser, true).awaitReady("/health/ready", STARTUP);
    us2 = node("us-2", common, "us", usSuperuser, false);
    eu1 = node("eu-1", common, "eu", euSuperuser, false);
    CompletableFuture.allOf(
        CompletableFuture.runAsync(() -> us2.awaitReady("/health/ready", STARTUP)),
        CompletableFuture.runAsync(() -> eu1.awaitReady("/health/ready", STARTUP))).join();

    int port = ChildJvm.freePort();
    router = track(ChildJvm.start("router", port, Map.of(
        "CADUCEUS_ROUTER_PORT", Integer.toString(port),
        "CADUCEUS_ROUTER_NODES", "us=" + us1.url() + "," + us2.url() + ";eu=" + eu1.url(),
        "CADUCEUS_GLOBAL_DB_URL", common.get("CADUCEUS_GLOBAL_DB_URL"),
        "CADUCEUS_ROUTER_HEALTH_INTERVAL_MS", "250",
        "CADUCEUS_ROUTER_INSTANCES", "2"), LOGS, "router"));
    router.awaitReady("/router/health", STARTUP);
    viaRouter = new Api(router.port());
    Await.until(() -> viaRouter.get("/router/health", null).json(),
        health -> health.getJsonObject("regions").getJsonObject("us").getInteger("healthy") == 2
            && health.getJsonObject("regions").getJsonObject("eu").getInteger("healthy") == 1, PATIENCE);
  }

  @AfterAll
  static void stopEverything() {
    PROCESSES.forEach(ChildJvm::kill);
    for (AutoCloseable server : SERVERS) {
      try {
        server.close();
      } catch (Exception e) {
        // best effort: the next run starts its own servers on fresh ports
      }
    }
  }

  @Test
  @Order(1)
  void aTenantOnboardedByThePlatformAndOneSelfRegisteredInEuAreReachedThroughTheRouter() {
    String owner = login("owner@caduceus.test", DemoPlatform.PASSWORD, null);
    JsonObject created = expect(viaRouter.post("/v1/platform/tenants", owner, new JsonObject().put("kind", "clinic")
        .put("slug", "boston-" + suffix()).put("name", "Boston Clinic").put("dataRegion", "us").put("locale", "en-US")
        .put("timeZone", "America/New_York").put("adminEmail", "admin-" + suffix() + "@boston.test")), 201).json();
    usTenant = created.getJsonObject("tenant").getString("id");
    // The invitation's code names its tenant, so the router sends the acceptance to that tenant's region.
    // Admins enrol an authenticator: their email accounts are provider credentials, a step-up operation.
    usAdmin = DemoLogins.enrolMfa(viaRouter, accept(created.getJsonObject("adminInvitation").getString("token")));

    String euAdminEmail = "admin-" + suffix() + "@berlin.test";
    JsonObject registered = expect(viaRouter.post("/v1/registrations", null, new JsonObject().put("kind", "pharmacy")
        .put("slug", "berlin-" + suffix()).put("name", "Berlin Pharmacy").put("dataRegion", "eu").put("locale", "de-DE")
        .put("timeZone", "Europe/Berlin").put("admin", new JsonObject().put("email", euAdminEmail)
            .put("password", PASSWORD).put("displayName", "Berlin Admin"))), 202).json();
    euTenant = registered.getJsonObject("tenant").getString("id");
    assertThat(registered.getJsonObject("tenant").getString("dataRegion")).isEqualTo("eu");
    expect(viaRouter.post("/v1/platform/tenants/" + euTenant + "/approve", owner, null), 200);
    // A self-registered admin confirms their address before inviting anyone (step 2 invites a patient). The demo's
    // platform mail goes to the sandbox, so it is marked here; EmailVerificationTest drives the mailed link.
    Sql.update(usSuperuser.onDatabase("caduceus_global"),
        "UPDATE app_user SET email_verified_at = now() WHERE lower(email) = lower(?)", euAdminEmail);
    euAdmin = DemoLogins.enrolMfa(viaRouter, login(euAdminEmail, PASSWORD, euTenant));
  }

  @Test
  @Order(2)
  void eachTenantsPatientIsStoredOnlyInItsOwnRegionsDatabase() {
    usPatient = patient(usAdmin, "Garcia");
    euPatient = patient(euAdmin, "Garcia");
    DatabaseEndpoint usDb = usSuperuser.onDatabase("caduceus_us");
    DatabaseEndpoint euDb = euSuperuser.onDatabase("caduceus_eu");
    assertThat(patientRows(usDb, usPatient)).isEqualTo(1);
    assertThat(patientRows(euDb, usPatient)).isZero();
    assertThat(patientRows(euDb, euPatient)).isEqualTo(1);
    assertThat(patientRows(usDb, euPatient)).isZero();
    assertThat(Sql.query(usSuperuser.onDatabase("caduceus_global"),
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'patient'").get(0).get("n"))
        .isEqualTo(0L);
    expect(viaRouter.get("/v1/patients/" + usPatient, usAdmin), 200);
    expect(viaRouter.get("/v1/patients/" + euPatient, euAdmin), 200);
  }

  @Test
  @Order(3)
  void aNodeRefusesATenantOfAnotherRegionEvenWithAValidToken() {
    Api eu = new Api(eu1.port());
    Api.Response refused = eu.get("/v1/patients/" + usPatient, usAdmin);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(refused.json().getString("detail")).contains("region");
    assertThat(new Api(us2.port()).get("/v1/patients/" + euPatient, euAdmin).status()).isEqualTo(403);
  }

  @Test
  @Order(3)
  void aScimRequestIsRoutedByItsTokenToItsTenantsRegion() {
    String scim = expect(viaRouter.post("/v1/tenants/" + euTenant + "/scim-tokens", euAdmin,
        new JsonObject().put("name", "Entra")), 201).json().getString("token");
    // The token names its tenant, so the router sends it to an eu node without a lookup; a us node would refuse it.
    String user = expect(viaRouter.send("POST", "/scim/v2/Users", scim, new JsonObject()
        .put("userName", "scim-" + suffix() + "@berlin.test").encode(),
        Map.of("Content-Type", "application/scim+json")), 201).json().getString("id");
    expect(viaRouter.get("/scim/v2/Users/" + user, scim), 200);
    Api.Response refused = new Api(us1.port()).get("/scim/v2/Users/" + user, scim);
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.header("Content-Type")).isEqualTo("application/scim+json");
  }

  @Test
  @Order(4)
  void thePortalViewThroughTheRouterShowsThePatientsTenantsInBothRegions() {
    accept(mailedToken(usAdmin, usTenant, usPatient));
    accept(mailedToken(euAdmin, euTenant, euPatient));
    String maria = login(PATIENT_EMAIL, PASSWORD, usTenant);

    JsonObject view = expect(viaRouter.get("/v1/portal/records", maria), 200).json();

    assertThat(view.getJsonObject("name").getString("family")).isEqualTo("Garcia");
    JsonArray sources = view.getJsonArray("sources");
    assertThat(sources.stream().map(s -> ((JsonObject) s).getString("tenantId"))).containsExactly(usTenant, euTenant);
    assertThat(sources.stream().map(s -> ((JsonObject) s).getBoolean("available"))).containsExactly(true, true);
    // The same request straight to a us node reads the us tenant only: the eu one is another node's to read.
    JsonArray direct = expect(new Api(us2.port()).get("/v1/portal/records", maria), 200).json().getJsonArray("sources");
    assertThat(direct.getJsonObject(1).getBoolean("available")).isFalse();
  }

  @Test
  @Order(4)
  void aLiveSocketThroughTheRouterReachesANodeOfItsTenantsRegion() {
    // By the upgrade's bearer token: the eu tenant's socket reaches the eu node (a us node would close it, 4403).
    try (LiveClient byHeader = LiveClient.withHeader(router.port(), euAdmin)) {
      assertThat(byHeader.next("ready").getString("type")).isEqualTo("ready");
    }
    // A browser authenticates in its first frame, so it names its tenant in the URL (an id, not a secret).
    try (LiveClient byFrame = LiveClient.open(router.port(), "/v1/live?tenant=" + euTenant, Map.of())) {
      byFrame.send(new JsonObject().put("type", "auth").put("token", euAdmin));
      byFrame.next("ready");
      byFrame.send(new JsonObject().put("type", "ping").put("id", "p"));
      assertThat(byFrame.next("pong").getString("type")).isEqualTo("pong");
    }
    // Naming neither, it goes to the home region (us), whose node refuses the eu tenant's token.
    try (LiveClient home = LiveClient.open(router.port(), Map.of())) {
      home.send(new JsonObject().put("type", "auth").put("token", euAdmin));
      assertThat(home.closeCode()).isEqualTo((short) 4403);
    }
  }

  @Test
  @Order(4)
  void aTelehealthGuestsCodeGoesToTheRegionOfTheClinicItNames() {
    JsonObject body = new JsonObject().put("code", TenantSecrets.next(TenantId.parse(euTenant)));
    // Through the router it reaches the eu node, which serves the clinic and knows no such code: 404.
    assertThat(viaRouter.post("/v1/telehealth/guest-passes", null, body).status()).isEqualTo(404);
    // Straight to a us node, the eu clinic's code is not that node's to read.
    assertThat(new Api(us2.port()).post("/v1/telehealth/guest-passes", null, body).status()).isEqualTo(403);
    // A us clinic's code goes to a us node, which knows no such code either.
    assertThat(viaRouter.post("/v1/telehealth/guest-passes", null,
        new JsonObject().put("code", TenantSecrets.next(TenantId.parse(usTenant)))).status()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void killingOneOfTheUsNodesUnderLoadLosesNoGetAndEveryRequestAfterFailoverSucceeds() throws Exception {
    ConcurrentLinkedQueue<Integer> before = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Integer> after = new ConcurrentLinkedQueue<>();
    AtomicBoolean killed = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread client = new Thread(() -> {
        Api api = new Api(router.port());
        while (!stop.get()) {
          boolean sentAfterKill = killed.get();
          int status = api.get("/v1/patients/" + usPatient, usAdmin).status();
          (sentAfterKill ? after : before).add(status);
        }
      });
      client.start();
      clients.add(client);
    }
    Await.until(before::size, n -> n >= 100, PATIENCE);
    us1.kill();
    killed.set(true);
    long killedAt = System.nanoTime();
    Await.until(() -> viaRouter.get("/router/health", null).json().getJsonObject("regions").getJsonObject("us")
        .getInteger("healthy"), healthy -> healthy == 1, PATIENCE);
    long noticedMs = (System.nanoTime() - killedAt) / 1_000_000;
    Await.until(after::size, n -> n >= 200, PATIENCE);
    stop.set(true);
    for (Thread client : clients) {
      client.join(10_000);
    }

    // Every GET answered 200: those in flight on the killed node and those sent to it before the router noticed.
    assertThat(before).isNotEmpty().allMatch(status -> status == 200);
    assertThat(after).allMatch(status -> status == 200);
    JsonObject us = viaRouter.get("/router/health", null).json().getJsonObject("regions").getJsonObject("us");
    System.out.printf("failover: %d GETs before the kill, %d after; the router saw the node down within %d ms"
        + " and moved %d requests to the other node%n", before.size(), after.size(), noticedMs, us.getLong("retries"));
    // Once failover is complete, writes go through too: every one of the next 30 creates its patient.
    for (int i = 0; i < 30; i++) {
      expect(viaRouter.post("/v1/patients", usAdmin, new JsonObject()
          .put("name", new JsonObject().put("family", "After" + i).put("given", "Failover"))), 201);
    }
  }

  @Test
  @Order(6)
  void aRegionWithNoNodeUpAnswers503AndItsTenantsAreListedUnavailableInThePortalView() {
    eu1.kill();
    Await.until(() -> viaRouter.get("/router/health", null).json().getJsonObject("regions").getJsonObject("eu")
        .getInteger("healthy"), healthy -> healthy == 0, PATIENCE);

    Api.Response r = viaRouter.get("/v1/patients/" + euPatient, euAdmin);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.header("Retry-After")).isEqualTo("1");
    // Never another region: the us node would have refused it with 403, not 503.
    JsonArray sources = expect(viaRouter.get("/v1/portal/records", login(PATIENT_EMAIL, PASSWORD, usTenant)), 200)
        .json().getJsonArray("sources");
    assertThat(sources.getJsonObject(0).getBoolean("available")).isTrue();
    assertThat(sources.getJsonObject(1).getBoolean("available")).isFalse();
    assertThat(sources.getJsonObject(1).getString("reason")).isEqualTo("this tenant's region cannot be reached now");
  }

  private static ChildJvm node(String name, Map<String, String> common, String region, DatabaseEndpoint server,
                               boolean seed) {
    int port = ChildJvm.freePort();
    Map<String, String> env = new HashMap<>(common);
    String key = "CADUCEUS_REGION_" + region.toUpperCase();
    env.put("CADUCEUS_REGIONS", region);
    env.put(key + "_DB_URL", url(server, "caduceus_app:app-pw", "caduceus_" + region));
    env.put(key + "_DB_OWNER_URL", url(server, "caduceus_owner:owner-pw", "caduceus_" + region));
    env.put("CADUCEUS_HTTP_PORT", Integer.toString(port));
    env.put("CADUCEUS_DEMO_SEED", Boolean.toString(seed));
    return track(ChildJvm.start(name, port, env, LOGS));
  }

  private static ChildJvm track(ChildJvm process) {
    PROCESSES.add(process);
    return process;
  }

  private static String url(DatabaseEndpoint server, String credentials, String database) {
    return "postgresql://" + credentials + "@" + server.host() + ":" + server.port() + "/" + database;
  }

  private static String login(String email, String password, String tenant) {
    JsonObject body = new JsonObject().put("email", email).put("password", password);
    if (tenant != null) {
      body.put("tenantId", tenant);
    }
    return DemoLogins.login(viaRouter, body).getString("accessToken");
  }

  private static String accept(String invitationToken) {
    return expect(viaRouter.post("/v1/invitations/accept", null, new JsonObject().put("token", invitationToken)
        .put("password", PASSWORD).put("displayName", "Invited")), 200).json().getString("accessToken");
  }

  private static String patient(String token, String family) {
    return expect(viaRouter.post("/v1/patients", token, new JsonObject()
        .put("name", new JsonObject().put("family", family).put("given", "Maria")).put("birthDate", "1980-04-02")
        .put("contact", new JsonObject().put("email", PATIENT_EMAIL))), 201).json().getString("id");
  }

  private static String invitePatient(String admin, String tenant, String patient) {
    return expect(viaRouter.post("/v1/tenants/" + tenant + "/invitations", admin, new JsonObject()
        .put("email", PATIENT_EMAIL).put("roles", new JsonArray().add("patient")).put("patientId", patient)), 201)
        .json().getJsonObject("invitation").getString("id");
  }

  // A patient's invitation code goes only to the email on file, by the tenant's email account: read it there.
  private static String mailedToken(String admin, String tenant, String patient) {
    Mailbox.get().serve(viaRouter, admin);
    invitePatient(admin, tenant, patient);
    Matcher link = Pattern.compile("#token=([A-Za-z0-9_-]{43})").matcher(Mailbox.get().nextTo(PATIENT_EMAIL));
    assertThat(link.find()).isTrue();
    return link.group(1);
  }

  private static long patientRows(DatabaseEndpoint db, String id) {
    return ((Number) Sql.query(db, "SELECT count(*) AS n FROM patient WHERE id = ?", UUID.fromString(id)).get(0)
        .get("n")).longValue();
  }

  private static String suffix() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
