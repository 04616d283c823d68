package io.caduceus.api.audit;

import io.caduceus.api.boot.Infrastructure;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.embedded.EmbeddedPostgresServer;
import io.caduceus.routing.keys.MasterKey;
import io.caduceus.routing.schema.ClusterBootstrap;
import io.caduceus.routing.schema.DatabaseRoles;
import io.caduceus.routing.schema.Migrations;
import io.caduceus.api.testing.Sql;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;

/**
 * A PostgreSQL cluster of the test's own, with one region database, for tests that steer the cluster-wide
 * transaction counter. The sealer and the verifier run against it exactly as in production, and nothing runs in the
 * background (no node, no sealer loop, no autovacuum), so every seal happens when the test asks for it.
 */
final class ChainCluster implements AutoCloseable {

  static final String REGION = "us";
  private static final String PASSWORD = "chain-test-password";

  private final EmbeddedPostgresServer server;
  private final DatabaseEndpoint superuser;
  private final DatabaseEndpoint owner;
  private final DatabaseEndpoint app;
  private final Vertx vertx;
  private final RegionRegistry regions;
  private final TenantDb db;
  private final AuditService audit;

  private ChainCluster(EmbeddedPostgresServer server, DatabaseEndpoint superuser, DatabaseEndpoint owner,
                       DatabaseEndpoint app) {
    this.server = server;
    this.superuser = superuser;
    this.owner = owner;
    this.app = app;
    this.vertx = Vertx.vertx();
    this.regions = RegionRegistry.open(vertx, Map.of(REGION, app), 4, 1);
    this.db = new TenantDb(regions);
    this.audit = new AuditService(db, new Cursors(MasterKey.fromBase64(MasterKey.generateBase64())));
  }

  private static ChainCluster shared;

  /** One cluster for the test classes that need no counter of their own, started on first use. */
  static synchronized ChainCluster shared() {
    if (shared == null) {
      shared = start();
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** Starts a fresh cluster and migrates its region database as a node would. */
  static ChainCluster start() {
    try {
      EmbeddedPostgresServer server = EmbeddedPostgresServer.start(Files.createTempDirectory("caduceus-chain-pg"),
          0, true);
      DatabaseRoles roles = DatabaseRoles.defaults(PASSWORD, PASSWORD);
      DatabaseEndpoint root = server.superuser();
      // Autovacuum's analyze takes transaction ids too; off, the counter moves only when the test moves it.
      Sql.update(root, "ALTER SYSTEM SET autovacuum = off");
      Sql.query(root, "SELECT pg_reload_conf()");
      ClusterBootstrap.ensure(root, roles, List.of("chain"));
      DatabaseEndpoint owner = root.onDatabase("chain").as(roles.owner(), roles.ownerPassword());
      Migrations.migrate(owner, Infrastructure.REGION_MIGRATIONS, roles);
      return new ChainCluster(server, root.onDatabase("chain"), owner, owner.as(roles.app(), roles.appPassword()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The transaction id the cluster assigns next. */
  long nextXid() {
    return ((Number) Sql.query(superuser, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS x")
        .get(0).get("x")).longValue();
  }

  /** Commits empty transactions until the next transaction id assigned is {@code next}. */
  void advanceTo(long next) {
    long burn = next - nextXid();
    if (burn < 0) {
      throw new IllegalStateException("the counter is already past " + next);
    }
    try (Connection c = connect(superuser); Statement s = c.createStatement()) {
      s.execute("SET synchronous_commit = off");
      s.execute("DO $$ BEGIN FOR i IN 1.." + burn + " LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Moves the counter to {@code margin} below the next power of ten (from 10,000 up) it has not passed yet, and
   * returns that power of ten.
   */
  long belowNextBoundary(long margin) {
    long boundary = 10_000;
    while (boundary - margin < nextXid()) {
      boundary *= 10;
    }
    advanceTo(boundary - margin);
    return boundary;
  }

  /** A writer of the tenant's audit events: one connection, whose transactions the test opens and ends. */
  Writer writer(TenantId tenant) {
    return new Writer(tenant);
  }

  /** Seals the tenant's pending events with the given batch limit; how many were sealed. */
  int seal(TenantId tenant, int batchLimit) {
    return await(new AuditSealer(db, regions, batchLimit).sealTenant(REGION, tenant));
  }

  /** The sealer as it was before issue 10, sorting transaction ids as text. */
  LegacySealer legacySealer() {
    return new LegacySealer(app);
  }

  /** Repairs the tenant's chain, as the platform owner's {@code POST …/audit-repairs} does. */
  AuditRepair repair(TenantId tenant, long firstBrokenSeal, String reason) {
    TenantContext scope = TenantContext.system(tenant, REGION, IsolationTier.SHARED, UUID.randomUUID(),
        Set.of("audit.read"), "repair-" + UUID.randomUUID());
    return await(new ChainRepair(db, new AuditTrail(vertx, db)).repair(scope, firstBrokenSeal, reason,
        UUID.randomUUID()));
  }

  /** Recomputes the tenant's chain, as {@code GET /v1/audit-events/verify} does. */
  AuditVerification verify(TenantId tenant) {
    return await(audit.verify(TenantContext.system(tenant, REGION, IsolationTier.SHARED,
        UUID.randomUUID(), Set.of("audit.read"), "test")));
  }

  /** Runs statements as the database owner in the tenant's scope: an insider with more rights than the app. */
  void asOwner(TenantId tenant, String... statements) {
    String[] all = new String[statements.length + 1];
    all[0] = "SELECT set_config('app.tenant_id', '" + tenant + "', true)";
    System.arraycopy(statements, 0, all, 1, statements.length);
    Sql.execute(owner, all);
  }

  /**
   * How many seals list each of the tenant's events (zero for an event no seal lists); seals a repair superseded
   * are not counted.
   */
  Map<UUID, Long> timesSealed(TenantId tenant) {
    Map<UUID, Long> times = new HashMap<>();
    Sql.query(superuser, "SELECT e.id, (SELECT count(*) FROM audit_seal s, unnest(s.event_ids) AS x(id)"
        + " WHERE s.tenant_id = e.tenant_id AND x.id = e.id AND NOT EXISTS (SELECT 1 FROM audit_repair r"
        + "   WHERE r.tenant_id = s.tenant_id AND s.seq BETWEEN r.first_seal AND r.last_seal)) AS n"
        + " FROM audit_event e WHERE e.tenant_id = ?",
        tenant.value()).forEach(row -> times.put((UUID) row.get("id"), ((Number) row.get("n")).longValue()));
    return times;
  }

  /**
   * The seals of the tenant that list their events in another order than the chain's, (txid, id) as numbers; seals
   * a repair superseded are not counted.
   */
  List<Long> sealsOutOfOrder(TenantId tenant) {
    List<Long> seals = new ArrayList<>();
    Sql.query(superuser, "SELECT s.seq FROM audit_seal s, LATERAL (SELECT array_agg(e.id ORDER BY e.txid, e.id)"
        + " AS ordered FROM unnest(s.event_ids) AS x(id) JOIN audit_event e ON e.tenant_id = s.tenant_id"
        + " AND e.id = x.id) o WHERE s.tenant_id = ? AND o.ordered IS DISTINCT FROM s.event_ids"
        + " AND NOT EXISTS (SELECT 1 FROM audit_repair r WHERE r.tenant_id = s.tenant_id"
        + "   AND s.seq BETWEEN r.first_seal AND r.last_seal)", tenant.value())
        .forEach(row -> seals.add(((Number) row.get("seq")).longValue()));
    return seals;
  }

  /** The transaction ids of the tenant's events, as numbers. */
  List<Long> txids(TenantId tenant) {
    List<Long> txids = new ArrayList<>();
    Sql.query(superuser, "SELECT txid::text::bigint AS x FROM audit_event WHERE tenant_id = ?", tenant.value())
        .forEach(row -> txids.add(((Number) row.get("x")).longValue()));
    return txids;
  }

  /** The app role on the region database. */
  DatabaseEndpoint app() {
    return app;
  }

  /** The superuser on the region database (to look at, or tamper with, what is stored). */
  DatabaseEndpoint superuser() {
    return superuser;
  }

  @Override
  public void close() {
    await(regions.close());
    await(vertx.close());
    server.close();
  }

  private static Connection connect(DatabaseEndpoint as) throws SQLException {
    return DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
  }

  /** One connection of the app role writing a tenant's audit rows, one open transaction at a time. */
  final class Writer implements AutoCloseable {

    private final TenantId tenant;
    private final Connection connection;
    private boolean open;

    private Writer(TenantId tenant) {
      this.tenant = tenant;
      try {
        this.connection = connect(app);
        connection.setAutoCommit(false);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Inserts {@code n} events in this writer's transaction, opening one if none is open. */
    void insert(int n) {
      try {
        if (!open) {
          try (PreparedStatement scope = connection.prepareStatement("SELECT set_config('app.tenant_id', ?, true)")) {
            scope.setString(1, tenant.toString());
            scope.execute();
          }
          open = true;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_event (tenant_id, id,"
            + " occurred_at, actor_user_id, actor_roles, action, resource_type, resource_id, patient_ids, outcome,"
            + " request_id, client_address) VALUES (?, ?, now(), ?, '{nurse}', 'patient.read', 'patient', ?,"
            + " ARRAY[?::uuid], 'success', ?, '127.0.0.1')")) {
          for (int i = 0; i < n; i++) {
            UUID patient = UUID.randomUUID();
            insert.setObject(1, tenant.value());
            insert.setObject(2, UuidV7.next());
            insert.setObject(3, UUID.randomUUID());
            insert.setObject(4, patient);
            insert.setObject(5, patient);
            insert.setString(6, "req-" + UUID.randomUUID());
            insert.addBatch();
          }
          insert.executeBatch();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Whether a transaction is open. */
    boolean open() {
      return open;
    }

    /** Commits the open transaction. */
    void commit() {
      end(true);
    }

    /** Rolls the open transaction back: its events never existed. */
    void rollback() {
      end(false);
    }

    private void end(boolean commit) {
      try {
        if (commit) {
          connection.commit();
        } else {
          connection.rollback();
        }
        open = false;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      try {
        connection.close();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
