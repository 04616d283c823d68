package io.caduceus.api.boot;

import io.caduceus.api.access.Role;
import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.PasswordHasher;
import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.onboarding.PlatformService;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.Placement;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.NewTenant;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantKind;
import io.caduceus.routing.catalog.TenantStatus;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.testing.Await;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.caduceus.notifications.fakes.FakeFcm;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.caduceus.routing.testing.Await.await;

/**
 * One Caduceus node for the whole test JVM, on fresh databases (control plane, {@code us}, {@code eu}) of the
 * shared test PostgreSQL and on the shared Redis. Tests isolate themselves by creating their own tenants, which
 * is exactly what the product promises to keep apart.
 */
public final class TestPlatform {

  public static final String PASSWORD = "test-password-12345";
  /** The web origin the test node lets browsers call it from (CORS). */
  public static final String WEB_ORIGIN = "https://app.caduceus.test";
  /** The test node's metrics scrape token. */
  public static final String METRICS_TOKEN = "test-metrics-token";
  /**
   * The TOTP secret (base32) of every fixture user that needs MFA: the platform owner (always) and tenant admins (step-up
   * operations). {@link #login} answers their MFA challenge with a code computed from it.
   */
  public static final String TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final Totp TOTP = new Totp();
  private final Map<UUID, Long> lastTotpStep = new HashMap<>();

  private static TestPlatform instance;
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private final Application app;
  private final Map<String, String> env;
  private final Map<String, DatabaseEndpoint> owners;
  private final Api api;
  private final String passwordHash;
  private final TestUser owner;
  private final Map<String, CachedToken> tokens = new HashMap<>();

  /** A token and when it was issued: reused for half its 10-minute life, so a slow run never sends an expired one. */
  private record CachedToken(String token, long issuedAtNanos) {
    private static final long REUSE_NANOS = TimeUnit.MINUTES.toNanos(5);

    boolean fresh() {
      return System.nanoTime() - issuedAtNanos < REUSE_NANOS;
    }
  }

  private TestPlatform(Application app, Map<String, String> env, Map<String, DatabaseEndpoint> owners,
                       String passwordHash, TestUser owner) {
    this.app = app;
    this.env = Map.copyOf(env);
    this.owners = owners;
    this.api = new Api(app.port());
    this.passwordHash = passwordHash;
    this.owner = owner;
  }

  /** The shared node, started on first use. */
  public static synchronized TestPlatform get() {
    if (instance == null) {
      instance = start();
    }
    return instance;
  }

  /** The fake FCM and Twilio every test node sends to; one Twilio account a tenant may bring as its own. */
  public static final class Providers {
    public static final String TWILIO_SID = "AC" + "00112233445566778899aabbccddeeff";
    public static final String TWILIO_TOKEN = "tenant-own-auth-token";
    public final FakeFcm fcm;
    public final FakeTwilio twilio;

    private Providers() {
      Vertx vertx = Vertx.vertx();
      this.fcm = await(FakeFcm.start(vertx));
      this.twilio = await(FakeTwilio.start(vertx, TWILIO_SID, TWILIO_TOKEN));
    }
  }

  /** The fake providers of the test node. */
  public static final Providers PROVIDERS = new Providers();

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The environment of a node on fresh databases (control plane, {@code us}, {@code eu}) of the shared test
   * PostgreSQL, its own Redis key prefix and master key, and a free port.
   */
  public static Map<String, String> freshEnvironment() {
    TestInfrastructure infra = TestInfrastructure.get();
    Map<String, DatabaseEndpoint> owners = infra.freshDatabases(List.of("global", "us", "eu"), List.of());
    Map<String, String> env = new HashMap<>();
    env.put("CADUCEUS_GLOBAL_DB_URL", url(infra.asApp(owners.get("global"))));
    env.put("CADUCEUS_GLOBAL_DB_OWNER_URL", url(owners.get("global")));
    env.put("CADUCEUS_REGIONS", "us,eu");
    for (String region : List.of("us", "eu")) {
      env.put("CADUCEUS_REGION_" + region.toUpperCase() + "_DB_URL", url(infra.asApp(owners.get(region))));
      env.put("CADUCEUS_REGION_" + region.toUpperCase() + "_DB_OWNER_URL", url(owners.get(region)));
    }
    env.put("CADUCEUS_REDIS_URL", infra.redisUrl());
    env.put("CADUCEUS_REDIS_KEY_PREFIX", "test-" + UUID.randomUUID() + ":");
    env.put("CADUCEUS_MASTER_KEY", MasterKey.generateBase64());
    env.put("CADUCEUS_HTTP_PORT", "0");
    env.put("CADUCEUS_ACCESS_LOG", "false");
    return env;
  }

  private static TestPlatform start() {
    Map<String, String> env = freshEnvironment();
    env.put("CADUCEUS_HTTP_INSTANCES", "2");
    // The providers' SDKs reach only the local fakes, and Twilio calls back to this node's public URL.
    int port = freePort();
    env.put("CADUCEUS_HTTP_PORT", Integer.toString(port));
    env.put("CADUCEUS_PUBLIC_URL", "http://127.0.0.1:" + port);
    env.put("CADUCEUS_FCM_BASE_URL", PROVIDERS.fcm.baseUrl());
    env.put("CADUCEUS_TWILIO_BASE_URL", PROVIDERS.twilio.baseUrl());
    env.put("CADUCEUS_DEMO_SEED", "false");
    env.put("CADUCEUS_CORS_ORIGINS", WEB_ORIGIN);
    env.put("CADUCEUS_METRICS_TOKEN", METRICS_TOKEN);
    // Tenant archives (exports, offboardings) go to a directory of this run, not the working tree.
    try {
      env.put("CADUCEUS_DATA_DIR", Files.createTempDirectory("caduceus-test-data").toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The superuser lets the node create tenant databases (the database tier).
    env.put("CADUCEUS_DB_SUPERUSER_URL", url(TestInfrastructure.get().superuser()));
    try {
      Application app = await(Application.start(config(env)), Duration.ofSeconds(120));
      String hash = new PasswordHasher().hash(PASSWORD);
      TestUser owner = await(bootstrapPlatform(app.assembly(), hash));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> app.stop()));
      return new TestPlatform(app, env, databases(env), hash, owner);
    } catch (Exception e) {
      throw new IllegalStateException("the test node did not start", e);
    }
  }

  private static AppConfig config(Map<String, String> env) {
    return ConfigLoader.resolve(new JsonObject().put("audit", new JsonObject().put("sealIntervalMs", 300))
        .put("security", new JsonObject().put("loginFailuresBeforeThrottle", 5).put("registrationsPerWindow", 1000))
        .put("engagement", new JsonObject().put("tickMs", 200).put("scheduleEveryMs", 300))
        // Quotas stay on, high enough for tests that hurry; QuotaTest sets tight ones on its own tenants.
        .put("quotas", new JsonObject().put("tenant", new JsonObject().put("perSecond", 10_000).put("burst", 20_000))
            .put("user", new JsonObject().put("perSecond", 10_000).put("burst", 20_000))), env);
  }

  /**
   * Another node of this node's deployment (its databases, Redis, master key and data directory) on a port of its
   * own, with {@code overrides} on top of its environment (a Redis of the test's own, say). The caller stops it.
   */
  public Application sibling(Map<String, String> overrides) {
    Map<String, String> own = new HashMap<>(env);
    int port = freePort();
    own.put("CADUCEUS_HTTP_PORT", Integer.toString(port));
    own.put("CADUCEUS_PUBLIC_URL", "http://127.0.0.1:" + port);
    own.putAll(overrides);
    try {
      return await(Application.start(config(own)), Duration.ofSeconds(120));
    } catch (Exception e) {
      throw new IllegalStateException("the sibling node did not start", e);
    }
  }

  private static Future<TestUser> bootstrapPlatform(Assembly a, String hash) {
    NewTenant platform = new NewTenant(TenantKind.PLATFORM, "platform-" + UUID.randomUUID().toString().substring(0, 8),
        "Test Platform", TenantStatus.ACTIVE, "us", IsolationTier.SHARED, "en-US", "UTC", new JsonObject());
    UUID ownerId = UUID.randomUUID();
    String email = "owner-" + ownerId + "@platform.test";
    return a.controlPlane.inTransaction(conn -> a.catalog.create(conn, platform).compose(t -> a.keyring.provision(conn, t.id())
        .compose(v -> a.access.users.insert(conn, ownerId, email, "Platform Owner", hash))
        .compose(v -> a.access.users.join(conn, ownerId, t.id(), List.of("platform_owner"), null))
        .map(v -> new TestUser(ownerId, email, new TestTenant(t.id(), "us", t.slug(), TenantKind.PLATFORM,
            IsolationTier.SHARED)))))
        .compose(owner -> enrolTotp(a, owner.id()).map(owner));
  }

  /** Enrols (and confirms) {@link #TOTP_SECRET} as the user's authenticator, as a user would with a first code. */
  private static Future<Void> enrolTotp(Assembly a, UUID userId) {
    return a.access.mfa.putPending(userId, a.totpSecrets.seal(userId, Base32.decode(TOTP_SECRET)))
        .compose(v -> a.access.mfa.acceptStep(userId, 1, true)).mapEmpty();
  }

  /** Gives an existing user the fixture's TOTP authenticator. */
  public void enrolMfa(TestUser user) {
    await(enrolTotp(app.assembly(), user.id()));
  }

  /**
   * A TOTP code of {@link #TOTP_SECRET} the server has not yet accepted for this user: the current step or the next
   * (both inside the server's window); when both were used, waits for the clock to reach a fresh step.
   */
  public synchronized String totpCode(UUID userId) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      long now = Totp.step(java.time.Instant.now());
      long step = Math.max(lastTotpStep.getOrDefault(userId, 0L) + 1, now);
      if (step <= now + 1) {
        lastTotpStep.put(userId, step);
        return TOTP.code(Base32.decode(TOTP_SECRET), step);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no fresh TOTP step");
      }
      try {
        Thread.sleep(250); // waiting for the clock itself: the next 30-second step
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** The HTTP client of the node. */
  public Api api() {
    return api;
  }

  /** The running node. */
  public Application app() {
    return app;
  }

  /** A node's OpenFeature client and its flag and module snapshot (issue 16). */
  public static io.caduceus.api.flags.Flags flags(Application node) {
    return node.assembly().features.flags;
  }

  /** A node's in-memory flags and modules (issue 16). */
  public static io.caduceus.api.flags.FeatureState features(Application node) {
    return node.assembly().features.state;
  }

  /** The owner endpoint of a database ({@code global}, {@code us} or {@code eu}), to inspect or attack it. */
  public DatabaseEndpoint owner(String database) {
    return owners.get(database);
  }

  /** The superuser on the database that holds the tenant's rows (its region's, or its own for the database tier). */
  public DatabaseEndpoint superuser(TestTenant tenant) {
    Placement place = tenant.place();
    DatabaseEndpoint region = superuser(tenant.region());
    return region.onDatabase(place.databaseName(region.database()));
  }

  /** The superuser on a database: the only role that sees past row-level security (to check what is stored). */
  public DatabaseEndpoint superuser(String database) {
    return TestInfrastructure.get().superuser().onDatabase(owners.get(database).database());
  }

  /** The platform owner. */
  public TestUser platformOwner() {
    return owner;
  }

  /** Onboards a tenant through the platform service (its data key and catalog entry as in production). */
  public TestTenant tenant(TenantKind kind, String region) {
    return tenant(kind, region, IsolationTier.SHARED);
  }

  /** Onboards a tenant in the given isolation tier (a schema or database tier tenant gets its place built). */
  public TestTenant tenant(TenantKind kind, String region, IsolationTier tier) {
    int n = SEQUENCE.incrementAndGet();
    String slug = kind.wire() + "-" + n + "-" + UUID.randomUUID().toString().substring(0, 6);
    JsonObject body = new JsonObject().put("kind", kind.wire()).put("slug", slug).put("name", "Test " + slug)
        .put("dataRegion", region).put("locale", "en-US").put("timeZone", "eu".equals(region) ? "Europe/Berlin"
            : "America/New_York").put("isolationTier", tier.wire());
    Assembly a = app.assembly();
    TenantContext asOwner = TenantContext.system(owner.tenant().id(), "us", IsolationTier.SHARED, owner.id(),
        Role.permissionKeys(List.of("platform_owner")), "test");
    Tenant t = await(a.onboarding.platform.create(asOwner, body).map(PlatformService.Onboarded::tenant));
    return new TestTenant(t.id(), region, slug, kind, tier);
  }

  /** A user of the tenant with the given roles (created directly: hashing a password per user would be slow). */
  public TestUser user(TestTenant tenant, String... roles) {
    return member(tenant, List.of(roles), null);
  }

  /** A patient account linked to a patient record of the tenant. */
  public TestUser patientAccount(TestTenant tenant, UUID patientId) {
    return member(tenant, List.of("patient"), patientId);
  }

  /** Adds an existing user to another tenant. */
  public TestUser join(TestUser user, TestTenant tenant, String... roles) {
    Assembly a = app.assembly();
    await(a.controlPlane.inTransaction(conn -> a.access.users.join(conn, user.id(), tenant.id(), List.of(roles),
        null)));
    return new TestUser(user.id(), user.email(), tenant);
  }

  /** Registers an existing user as a patient of another tenant too, linked to that tenant's record of them. */
  public TestUser joinAsPatient(TestUser user, TestTenant tenant, UUID patientId) {
    Assembly a = app.assembly();
    await(a.controlPlane.inTransaction(conn -> a.access.users.join(conn, user.id(), tenant.id(), List.of("patient"),
        patientId)));
    return new TestUser(user.id(), user.email(), tenant);
  }

  private TestUser member(TestTenant tenant, List<String> roles, UUID patientId) {
    UUID id = UUID.randomUUID();
    String email = String.join("-", roles) + "-" + id + "@" + tenant.slug() + ".test";
    Assembly a = app.assembly();
    await(a.controlPlane.inTransaction(conn -> a.access.users.insert(conn, id, email, "User " + roles, passwordHash)
        .compose(v -> a.access.users.join(conn, id, tenant.id(), roles, patientId))));
    if (roles.contains("tenant_admin")) {
      await(enrolTotp(a, id)); // tenant admins do step-up operations (exports, roles, provider credentials)
    }
    return new TestUser(id, email, tenant);
  }

  /** An access token for the user in their tenant (logged in once, then cached while fresh). */
  public synchronized String token(TestUser user) {
    String key = user.id() + "/" + user.tenant().id();
    CachedToken cached = tokens.get(key);
    if (cached == null || !cached.fresh()) {
      cached = new CachedToken(login(user).json().getString("accessToken"), System.nanoTime());
      tokens.put(key, cached);
    }
    return cached.token();
  }

  /** A fresh login of the user in their tenant; a user with MFA answers its challenge with a fresh code. */
  public Api.Response login(TestUser user) {
    return login(user, Map.of());
  }

  /** A fresh login of the user in their tenant, sending {@code headers} (a device's User-Agent, say). */
  public Api.Response login(TestUser user, Map<String, String> headers) {
    Api.Response r = api.post("/v1/auth/login", null, new JsonObject().put("email", user.email())
        .put("password", PASSWORD).put("tenantId", user.tenant().id().toString()), headers);
    if (r.status() == 200 && r.json().getBoolean("mfaRequired", false)) {
      r = api.post("/v1/auth/mfa/verify", null, new JsonObject().put("mfaTicket", r.json().getString("mfaTicket"))
          .put("code", totpCode(user.id())), headers);
    }
    if (r.status() != 200) {
      throw new IllegalStateException("login failed: " + r.status() + " " + r.body());
    }
    return r;
  }

  /** A token signed with the node's real key, for claims the server would never issue (for example, expired). */
  public String signed(JsonObject claims, int expiresInSeconds) {
    return app.assembly().signingKeys.signer().generateToken(claims, new JWTOptions()
        .setAlgorithm("ES256").setExpiresInSeconds(expiresInSeconds).setIssuer("caduceus")
        .setAudience(List.of("caduceus-api")));
  }

  /** Opens a value sealed under the tenant's data key, reading the key from the control plane now. */
  public String openSealed(TenantId tenant, String binding, byte[] sealed) {
    Assembly a = app.assembly();
    a.keyring.forget(tenant);
    return await(a.keyring.keys(tenant)).open(binding, sealed);
  }

  /** The node's login and registration throttle (to exhaust it from an address no other test uses). */
  public LoginThrottle throttle() {
    return app.assembly().access.throttle;
  }

  /**
   * Waits until the node's scheduler has finished two more runs of the region's schedules than it had when called.
   * The second began after the run in progress at the call had ended, so it saw everything the scheduler had made by
   * then: a message the scheduler would make twice is there once this returns. Proves absence without a sleep.
   */
  public void awaitTwoSchedulerRuns(String region) {
    long finished = app.assembly().engagement.scheduler.finishedRuns(region);
    Await.until(() -> app.assembly().engagement.scheduler.finishedRuns(region), n -> n >= finished + 2,
        Duration.ofSeconds(90));
  }

  /** Seals the audit chain of every tenant now, instead of waiting for the maintenance tick. */
  public int sealAudit() {
    return await(app.assembly().sealer.sealAll());
  }

  /**
   * Seals the tenant's trail through its newest event now, driving the sealer until it has: one pass may seal
   * nothing, because the background sealer holds the tenant's lock at that moment, or because a transaction that
   * began earlier anywhere in the cluster is still open (events are sealed only below the snapshot's xmin).
   */
  public void sealAuditOf(TestTenant tenant) {
    DatabaseEndpoint db = superuser(tenant);
    String schema = tenant.place().schema();
    List<Map<String, Object>> newest = Sql.query(db, "SELECT e.txid::text AS txid, e.id FROM " + schema
        + ".audit_event e WHERE e.tenant_id = ? ORDER BY e.txid DESC, e.id DESC LIMIT 1", tenant.id().value());
    if (newest.isEmpty()) {
      return;
    }
    // The sealer's head: its last seal, or the last repair when no seal follows it yet.
    String sealedThrough = "SELECT coalesce((SELECT (h.last_txid, h.last_event_id) >= (?::xid8, ?) FROM ("
        + " (SELECT s.seq, s.last_txid, s.last_event_id, 0 AS pick FROM " + schema + ".audit_seal s"
        + "   WHERE s.tenant_id = ? ORDER BY s.seq DESC LIMIT 1) UNION ALL"
        + " (SELECT r.last_seal, r.anchor_txid, r.anchor_event_id, 1 FROM " + schema + ".audit_repair r"
        + "   WHERE r.tenant_id = ? ORDER BY r.seq DESC LIMIT 1)) h ORDER BY h.seq DESC, h.pick DESC LIMIT 1),"
        + " false) AS done";
    Object[] args = {newest.get(0).get("txid"), newest.get(0).get("id"), tenant.id().value(), tenant.id().value()};
    Await.until(() -> {
      await(app.assembly().sealer.sealTenant(tenant.region(), tenant.id()));
      return (Boolean) Sql.query(db, sealedThrough, args).get(0).get("done");
    }, Boolean::booleanValue, Duration.ofSeconds(60));
  }

  /** The tenant's catalog permissions for a role set, as a system context (to drive services directly). */
  public TenantContext systemContext(TestTenant tenant, Set<String> roles) {
    return TenantContext.system(tenant.id(), tenant.region(), IsolationTier.SHARED, UUID.randomUUID(),
        Role.permissionKeys(roles), "test");
  }

  private static Map<String, DatabaseEndpoint> databases(Map<String, String> env) {
    return Map.of("global", DatabaseEndpoint.parse(env.get("CADUCEUS_GLOBAL_DB_OWNER_URL")),
        "us", DatabaseEndpoint.parse(env.get("CADUCEUS_REGION_US_DB_OWNER_URL")),
        "eu", DatabaseEndpoint.parse(env.get("CADUCEUS_REGION_EU_DB_OWNER_URL")));
  }

  private static String url(DatabaseEndpoint e) {
    return "postgresql://" + e.user() + ":" + e.password() + "@" + e.host() + ":" + e.port() + "/" + e.database();
  }

  /** A tenant made for one test. */
  public record TestTenant(TenantId id, String region, String slug, TenantKind kind, IsolationTier tier) {

    /** Where the tenant's rows are. */
    public Placement place() {
      return Placement.of(id, region, tier);
    }
  }

  /** A user made for one test, acting in {@code tenant}. */
  public record TestUser(UUID id, String email, TestTenant tenant) {
  }
}
