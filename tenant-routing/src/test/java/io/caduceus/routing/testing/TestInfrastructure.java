package io.caduceus.routing.testing;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.embedded.EmbeddedRedisServer;
import io.caduceus.routing.schema.ClusterBootstrap;
import io.caduceus.routing.schema.DatabaseRoles;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.schema.Migrations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real PostgreSQL and Redis for tests, started once per JVM.
 *
 * <p>By default both are embedded. Set {@code CADUCEUS_TEST_PG_SUPERUSER_URL} (for example
 * {@code postgresql://postgres@127.0.0.1:5432/postgres}) and/or {@code CADUCEUS_TEST_REDIS_URL} to use external
 * servers instead. Every call to {@link #freshDatabases} creates new, uniquely named databases, so runs never see
 * each other's data, even on a shared external server.
 */
public final class TestInfrastructure {

  public static final String TEST_PASSWORD = "caduceus-test-password";
  /**
   * Backends of the embedded server: one test node holds about 90 once many tenants and database-tier tenants exist
   * (pools, listeners), and a test may run three nodes on it at once (a second node, and one it stops); 200 ran out
   * (53300) once the suite grew, and 400 once every node also held a control-plane listener and tests ran two
   * sibling nodes beside the platform's (issue 16).
   */
  private static final int MAX_CONNECTIONS = 600;

  private static TestInfrastructure instance;

  private final DatabaseEndpoint superuser;
  private final String redisUrl;
  private final DatabaseRoles roles = DatabaseRoles.defaults(TEST_PASSWORD, TEST_PASSWORD);

  private TestInfrastructure(DatabaseEndpoint superuser, String redisUrl) {
    this.superuser = superuser;
    this.redisUrl = redisUrl;
  }

  /** The shared infrastructure, started on first use and stopped when the JVM exits. */
  public static synchronized TestInfrastructure get() {
    if (instance == null) {
      instance = new TestInfrastructure(startPostgres(), startRedis());
    }
    return instance;
  }

  /** The superuser endpoint (for tests that must act as an attacker with more rights than the app). */
  public DatabaseEndpoint superuser() {
    return superuser;
  }

  /** The Redis connection string. */
  public String redisUrl() {
    return redisUrl;
  }

  /** The database roles every test database uses. */
  public DatabaseRoles roles() {
    return roles;
  }

  /**
   * Creates one database per name suffix (prefixed with a unique run id), migrated with {@code sets}, and returns
   * the owner endpoints by suffix.
   */
  public Map<String, DatabaseEndpoint> freshDatabases(List<String> suffixes, List<MigrationSet> sets) {
    String run = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    List<String> names = new ArrayList<>();
    suffixes.forEach(s -> names.add(run + "_" + s));
    ClusterBootstrap.ensure(superuser, roles, names);
    Map<String, DatabaseEndpoint> owners = new LinkedHashMap<>();
    for (int i = 0; i < suffixes.size(); i++) {
      DatabaseEndpoint owner = superuser.onDatabase(names.get(i)).as(roles.owner(), roles.ownerPassword());
      if (!sets.isEmpty()) {
        Migrations.migrate(owner, sets, roles);
      }
      owners.put(suffixes.get(i), owner);
    }
    return owners;
  }

  /** The app-role endpoint of a database whose owner endpoint is given. */
  public DatabaseEndpoint asApp(DatabaseEndpoint owner) {
    return owner.as(roles.app(), roles.appPassword());
  }

  private static DatabaseEndpoint startPostgres() {
    String external = System.getenv("CADUCEUS_TEST_PG_SUPERUSER_URL");
    if (external != null && !external.isBlank()) {
      return DatabaseEndpoint.parse(external);
    }
    try {
      Path dir = Files.createTempDirectory("caduceus-test-pg");
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dir, 0, true, MAX_CONNECTIONS);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      return server.superuser();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String startRedis() {
    String external = System.getenv("CADUCEUS_TEST_REDIS_URL");
    if (external != null && !external.isBlank()) {
      return external;
    }
    EmbeddedRedisServer server = EmbeddedRedisServer.start(null, 0);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    return server.url();
  }
}
