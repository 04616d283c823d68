package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.FcmAccount;
import io.caduceus.notifications.channel.ProviderEndpoints;
import io.caduceus.notifications.channel.Senders;
import io.caduceus.notifications.channel.TwilioAccount;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.template.Composer;
import io.caduceus.notifications.template.ShippedTemplates;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.quota.Gcra;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;

/**
 * One engagement engine for the tests, as a node runs it: its own Vert.x, pools on a real regional database, Redis
 * for provider limits, the real senders pointed at the fakes, and a clock the test moves. {@link #crash()} drops
 * everything at once, as {@code kill -9} would: nothing in flight is recorded.
 */
final class Engine {

  static final String TWILIO_SID = "AC" + "0123456789abcdef0123456789abcdef";
  static final String TWILIO_TOKEN = "fake-twilio-token";
  static final String TWILIO_FROM = "+15005550006";

  final Vertx vertx;
  final RegionRegistry regions;
  final TenantDb db;
  final Dispatcher dispatcher;
  final Messages messages = new Messages();
  final Preferences preferences = new Preferences();
  final Devices devices = new Devices();
  final Settings settings = new Settings();
  private final Senders senders;
  private final Redis redis;

  /** The platform's accounts of the tests: FCM and Twilio (the fakes), and no SMTP relay, so email is sandboxed. */
  static final PlatformAccounts ACCOUNTS = new PlatformAccounts(new FcmAccount("caduceus-test", null),
      new TwilioAccount(TWILIO_SID, TWILIO_TOKEN, TWILIO_FROM), null);

  Engine(DatabaseEndpoint owner, ProviderEndpoints endpoints, MutableClock clock, DispatchOptions options,
         Map<String, Double> rates) {
    this(owner, endpoints, clock, options, rates, ACCOUNTS);
  }

  Engine(DatabaseEndpoint owner, ProviderEndpoints endpoints, MutableClock clock, DispatchOptions options,
         Map<String, Double> rates, PlatformAccounts accounts) {
    this(owner, endpoints, clock, options, rates, accounts, TopicHolds.NONE);
  }

  Engine(DatabaseEndpoint owner, ProviderEndpoints endpoints, MutableClock clock, DispatchOptions options,
         Map<String, Double> rates, PlatformAccounts accounts, TopicHolds holds) {
    this.vertx = Vertx.vertx();
    this.regions = RegionRegistry.open(vertx, Map.of("us", TestInfrastructure.get().asApp(owner)), 4, 1);
    this.db = new TenantDb(regions);
    // The send timeout bounds a provider that never answers (a held send); a live fake on a loaded machine must not
    // be mistaken for one, so it is far above any real answer's time.
    this.senders = new Senders(vertx, vertx.createSharedWorkerExecutor("provider-sdk", 16), endpoints,
        Duration.ofSeconds(10));
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(TestInfrastructure.get().redisUrl())
        .setMaxPoolSize(8).setMaxPoolWaiting(4096).setMaxWaitingHandlers(8192));
    TenantSenders tenantSenders = new TenantSenders(db, new ProviderCredentials(null), senders, accounts,
        Duration.ofSeconds(30));
    ProviderLimits limits = new ProviderLimits(new Gcra(RedisAPI.api(redis)), "test-" + UUID.randomUUID() + ":", rates);
    // No keyring: these tests carry no sealed links.
    this.dispatcher = new Dispatcher(db, regions, new TableRecipients(), null, tenantSenders, limits,
        new Composer(ShippedTemplates.load()), options, holds, clock);
  }

  static DatabaseEndpoint database() {
    return TestInfrastructure.get().freshDatabases(List.of("us"), List.of(
        new MigrationSet(Outbox.MIGRATIONS, "notifications_history"),
        new MigrationSet("classpath:db/engage-test", "engage_test_history"))).get("us");
  }

  static TenantContext tenant() {
    return TenantContext.system(new TenantId(UUID.randomUUID()), "us", IsolationTier.SHARED, UUID.randomUUID(),
        Set.of(), "test");
  }

  /** A patient with a phone, an email and optionally a device. */
  UUID patient(TenantContext t, String phone, String token) {
    UUID id = UUID.randomUUID();
    await(db.inTenant(t, conn -> conn.preparedQuery("INSERT INTO test_recipient VALUES"
            + " (current_setting('app.tenant_id')::uuid, $1, 'patient', 'Maria', $2, 'maria@example.test', 'en')")
        .execute(Tuple.of(id, phone))
        .compose(v -> token == null ? Future.succeededFuture() : devices.register(conn, id, token, "android").mapEmpty())));
    return id;
  }

  UUID notify(TenantContext t, Topic topic, UUID patient, boolean critical, Instant now) {
    NewMessage m = NewMessage.onEvent("test:" + UUID.randomUUID(), topic, null, RecipientKind.PATIENT, patient,
        new JsonObject(), critical);
    return await(db.inTenant(t, conn -> messages.enqueue(conn, m, now))).orElseThrow();
  }

  Message message(TenantContext t, UUID id) {
    return await(db.inTenant(t, conn -> messages.find(conn, id))).orElseThrow();
  }

  List<Messages.Event> history(TenantContext t, UUID id) {
    return await(db.inTenant(t, conn -> messages.history(conn, id)));
  }

  List<Row> rows(TenantContext t, String sql, Object... args) {
    return await(db.inTenant(t, conn -> conn.preparedQuery(sql).execute(Tuple.from(args)).map(rs -> {
      List<Row> list = new ArrayList<>();
      rs.forEach(list::add);
      return list;
    })));
  }

  int cycle() {
    return await(dispatcher.runOnce());
  }

  /** Stops at once: open connections drop, uncommitted work is lost, nothing more is recorded. */
  void crash() {
    await(vertx.close());
  }

  void stop() {
    redis.close();
    await(senders.close().transform(v -> regions.close()).transform(v -> vertx.close()));
  }
}
