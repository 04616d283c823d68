package io.caduceus.api.boot;

import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.embedded.EmbeddedRedisServer;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.schema.ClusterBootstrap;
import io.caduceus.routing.schema.DatabaseRoles;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.schema.Migrations;
import io.caduceus.routing.schema.RoleCheck;
import io.caduceus.routing.schema.PlaceMigrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Brings up what the server stands on: PostgreSQL (embedded or external) with its roles, databases and schemas,
 * Redis (embedded or external), and the master key. Blocking: the launcher calls it on a worker thread.
 */
public final class Infrastructure implements AutoCloseable {

  /** The migrations of a regional (PHI) database: the domain's, then the notification engine's. */
  public static final List<MigrationSet> REGION_MIGRATIONS = List.of(
      new MigrationSet("classpath:db/region", "schema_history"),
      new MigrationSet(Outbox.MIGRATIONS, "notifications_schema_history"));

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);

  private final DatabaseEndpoint globalApp;
  private final Map<String, DatabaseEndpoint> regionApp;
  private final String redisUrl;
  private final MasterKey masterKey;
  private final PlaceMigrations placeMigrations;
  private final List<AutoCloseable> embedded;

  private Infrastructure(DatabaseEndpoint globalApp, Map<String, DatabaseEndpoint> regionApp, String redisUrl,
                         MasterKey masterKey, PlaceMigrations placeMigrations, List<AutoCloseable> embedded) {
    this.globalApp = globalApp;
    this.regionApp = regionApp;
    this.redisUrl = redisUrl;
    this.masterKey = masterKey;
    this.placeMigrations = placeMigrations;
    this.embedded = embedded;
  }

  /** Starts or reaches every dependency and migrates every database, recording each step in {@code phases}. */
  public static Infrastructure prepare(AppConfig config, StartupPhases phases) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      CompletableFuture<EmbeddedRedisServer> redisStarting = config.redisUrl() != null
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.supplyAsync(() -> phases.time("redis",
              () -> EmbeddedRedisServer.start(config.dataDir().resolve("redis"), 0)));
      Databases dbs = config.database().embedded() ? embedded(config, started, phases)
          : phases.time("databases", () -> external(config.database()));
      phases.time("migrations", () -> migrate(dbs.roles, dbs.globalOwner, dbs.regionOwner, phases));
      phases.time("role check", () -> {
        RoleCheck.requireConfined(dbs.globalApp, dbs.roles);
        dbs.regionApp.values().forEach(app -> RoleCheck.requireConfined(app, dbs.roles));
        return null;
      });
      String redisUrl = config.redisUrl();
      if (redisUrl == null) {
        EmbeddedRedisServer redis = redisStarting.join();
        started.add(redis);
        redisUrl = redis.url();
      }
      PlaceMigrations migrations = new PlaceMigrations(dbs.roles, dbs.regionOwner, dbs.superuser, REGION_MIGRATIONS);
      return new Infrastructure(dbs.globalApp, Map.copyOf(dbs.regionApp), redisUrl,
          phases.time("master key", () -> masterKey(config)), migrations,
          started);
    } catch (RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /**
   * The roles, each database as the owner (migrations) and as the app (everything else), and the superuser when
   * one is known (it creates tenant databases).
   */
  private record Databases(DatabaseRoles roles, DatabaseEndpoint globalOwner, DatabaseEndpoint globalApp,
                           Map<String, DatabaseEndpoint> regionOwner, Map<String, DatabaseEndpoint> regionApp,
                           DatabaseEndpoint superuser) {
  }

  /** Starts PostgreSQL under the data directory and creates the roles and one database per region. */
  private static Databases embedded(AppConfig config, List<AutoCloseable> started, StartupPhases phases) {
    EmbeddedPostgresServer pg = phases.time("postgres",
        () -> EmbeddedPostgresServer.start(config.dataDir().resolve("postgres"), 0, false));
    started.add(pg);
    DatabaseRoles roles = DatabaseRoles.defaults("", "");
    Map<String, String> regionDatabases = new LinkedHashMap<>();
    config.database().regionNames().keySet().forEach(r -> regionDatabases.put(r, "caduceus_" + r.replace('-', '_')));
    List<String> names = new ArrayList<>(List.of("caduceus_global"));
    names.addAll(regionDatabases.values());
    phases.time("databases", () -> {
      ClusterBootstrap.ensure(pg.superuser(), roles, names);
      return null;
    });
    DatabaseEndpoint owner = pg.superuser().as(roles.owner(), "");
    Map<String, DatabaseEndpoint> regionOwner = new LinkedHashMap<>();
    Map<String, DatabaseEndpoint> regionApp = new LinkedHashMap<>();
    regionDatabases.forEach((region, database) -> {
      regionOwner.put(region, owner.onDatabase(database));
      regionApp.put(region, owner.onDatabase(database).as(roles.app(), ""));
    });
    DatabaseEndpoint globalOwner = owner.onDatabase("caduceus_global");
    return new Databases(roles, globalOwner, globalOwner.as(roles.app(), ""), regionOwner, regionApp,
        pg.superuser());
  }

  /** Reaches configured databases, creating roles and databases first when a superuser URL is given. */
  private static Databases external(AppConfig.Database db) {
    DatabaseRoles roles = new DatabaseRoles(db.globalOwner().user(), db.globalOwner().password(),
        db.globalApp().user(), db.globalApp().password(), "caduceus_scanner");
    if (db.superuser() != null) {
      List<String> names = new ArrayList<>(List.of(db.globalApp().database()));
      db.regionApp().values().forEach(e -> names.add(e.database()));
      ClusterBootstrap.ensure(db.superuser(), roles, names);
    }
    return new Databases(roles, db.globalOwner(), db.globalApp(), db.regionOwner(), db.regionApp(), db.superuser());
  }

  /** Migrates every database at once: they are independent, and start-up waits for the slowest. */
  private static int migrate(DatabaseRoles roles, DatabaseEndpoint globalOwner,
                             Map<String, DatabaseEndpoint> regionOwner, StartupPhases phases) {
    List<CompletableFuture<Integer>> runs = new ArrayList<>();
    runs.add(CompletableFuture.supplyAsync(() -> phases.time("migrate global",
        () -> Migrations.migrate(globalOwner, List.of(MigrationSet.CONTROL_PLANE), roles))));
    regionOwner.forEach((region, owner) -> runs.add(CompletableFuture.supplyAsync(() -> phases.time(
        "migrate " + region, () -> Migrations.migrate(owner, REGION_MIGRATIONS, roles)))));
    int applied = runs.stream().mapToInt(CompletableFuture::join).sum();
    if (applied > 0) {
      LOG.info("applied {} migrations", applied);
    }
    return applied;
  }

  private static MasterKey masterKey(AppConfig config) {
    if (config.security().masterKey() != null) {
      return MasterKey.fromBase64(config.security().masterKey());
    }
    if (!config.database().embedded()) {
      throw new IllegalStateException("CADUCEUS_MASTER_KEY is required when the databases are external:"
          + " every node must share it");
    }
    Path file = config.dataDir().resolve("master.key");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(config.dataDir());
        Files.writeString(file, MasterKey.generateBase64());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return MasterKey.fromBase64(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }

  /** The control plane, as the app role. */
  public DatabaseEndpoint globalApp() {
    return globalApp;
  }

  /** Each region's PHI database, as the app role. */
  public Map<String, DatabaseEndpoint> regionApp() {
    return regionApp;
  }

  /** Builds and upgrades the schemas and databases of tenants outside the shared tables (blocking). */
  public PlaceMigrations placeMigrations() {
    return placeMigrations;
  }

  /** The Redis connection string. */
  public String redisUrl() {
    return redisUrl;
  }

  /** The platform master key. */
  public MasterKey masterKey() {
    return masterKey;
  }

  /** Stops the embedded servers this process started, if any. */
  @Override
  public void close() {
    closeAll(embedded);
  }

  private static void closeAll(List<AutoCloseable> servers) {
    for (int i = servers.size() - 1; i >= 0; i--) {
      try {
        servers.get(i).close();
      } catch (Exception e) {
        LOG.warn("embedded server did not stop cleanly: {}", e.getClass().getSimpleName());
      }
    }
  }
}
