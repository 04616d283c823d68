package io.caduceus.routing;

import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.schema.RoleCheck;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(VertxExtension.class)
class TenantDbTest {

  private static final String INSERT = "INSERT INTO probe (tenant_id, id, patient_id, note) VALUES ($1, $2, $3, $4)";
  private static Map<String, DatabaseEndpoint> owners;

  private RegionRegistry regions;
  private Map<String, DatabaseEndpoint> app;
  private TenantDb db;
  private final TenantContext alpha = context("us");
  private final TenantContext beta = context("us");

  @BeforeAll
  static void databases() {
    owners = TestInfrastructure.get().freshDatabases(List.of("us", "eu"),
        List.of(new MigrationSet("classpath:db/probe", "probe_history")));
  }

  @BeforeEach
  void open(Vertx vertx) {
    TestInfrastructure infra = TestInfrastructure.get();
    app = new LinkedHashMap<>();
    owners.forEach((region, owner) -> app.put(region, infra.asApp(owner)));
    regions = RegionRegistry.open(vertx, app, 1, 1);
    db = new TenantDb(regions);
  }

  @AfterEach
  void close(VertxTestContext test) {
    regions.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void aDeadlockVictimRunsAgainAndBothTransactionsCommit(Vertx vertx, VertxTestContext test) {
    RegionRegistry two = RegionRegistry.open(vertx, app, 2, 1);
    TenantDb db2 = new TenantDb(two);
    String update = "UPDATE probe SET note = note || $2 WHERE id = $1";
    Promise<Void> firstLocked = Promise.promise();
    Promise<Void> secondLocked = Promise.promise();
    AtomicInteger runs = new AtomicInteger();
    insert(alpha, null, "one").compose(one -> insert(alpha, null, "two").compose(other -> {
      // Each locks one row, waits until the other has locked its row, then wants the other's: a deadlock.
      Future<Object> first = db2.inTenant(alpha, conn -> {
        runs.incrementAndGet();
        return conn.preparedQuery(update).execute(Tuple.of(one, "+a"))
            .compose(v -> {
              firstLocked.tryComplete();
              return secondLocked.future();
            })
            .compose(v -> conn.preparedQuery(update).execute(Tuple.of(other, "+a")));
      }).map(v -> null);
      Future<Object> second = firstLocked.future().compose(ready -> db2.inTenant(alpha, conn -> {
        runs.incrementAndGet();
        return conn.preparedQuery(update).execute(Tuple.of(other, "+b"))
            .compose(v -> {
              secondLocked.tryComplete();
              return conn.preparedQuery(update).execute(Tuple.of(one, "+b"));
            });
      })).map(v -> null);
      return Future.all(first, second)
          .compose(both -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe ORDER BY note").execute()));
    })).andThen(done -> two.close()).onComplete(test.succeeding(rows -> test.verify(() -> {
      assertThat(runs.get()).as("at least one victim ran again").isGreaterThanOrEqualTo(3);
      assertThat(notes(rows)).allSatisfy(note -> assertThat(note).contains("+a").contains("+b"));
      test.completeNow();
    })));
  }

  @Test
  void rowsOfOneTenantAreInvisibleToAnother(VertxTestContext test) {
    insert(alpha, null, "alpha's note")
        .compose(id -> db.inTenant(beta, conn -> conn.query("SELECT note FROM probe").execute())
            .compose(betaRows -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe").execute())
                .map(alphaRows -> List.of(betaRows.size(), alphaRows.size()))))
        .onComplete(test.succeeding(sizes -> test.verify(() -> {
          assertThat(sizes).containsExactly(0, 1);
          test.completeNow();
        })));
  }

  @Test
  void anotherTenantCannotUpdateOrDeleteRows(VertxTestContext test) {
    insert(alpha, null, "original")
        .compose(id -> db.inTenant(beta, conn -> conn.preparedQuery("UPDATE probe SET note = 'hijacked' WHERE id = $1")
                .execute(Tuple.of(id))
                .compose(updated -> conn.preparedQuery("DELETE FROM probe WHERE id = $1").execute(Tuple.of(id))
                    .map(deleted -> updated.rowCount() + deleted.rowCount())))
            .compose(touched -> db.inTenant(alpha, conn -> conn.preparedQuery("SELECT note FROM probe WHERE id = $1")
                .execute(Tuple.of(id))).map(rows -> Map.entry(touched, rows.iterator().next().getString("note")))))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result.getKey()).isZero();
          assertThat(result.getValue()).isEqualTo("original");
          test.completeNow();
        })));
  }

  @Test
  void writingARowInAnotherTenantsNameIsRejected(VertxTestContext test) {
    db.inTenant(beta, conn -> conn.preparedQuery(INSERT)
            .execute(Tuple.of(alpha.tenantId().value(), UUID.randomUUID(), null, "forged")))
        .onComplete(test.failing(error -> test.verify(() -> {
          assertThat(error).hasMessageContaining("row-level security");
          test.completeNow();
        })));
  }

  @Test
  void theAppRoleWithNoTenantSetSeesNoRows(Vertx vertx, VertxTestContext test) {
    Pool raw = PgBuilder.pool().connectingTo(TestInfrastructure.get().asApp(owners.get("us")).connectOptions())
        .using(vertx).build();
    insert(alpha, null, "invisible without a tenant")
        .compose(id -> raw.query("SELECT count(*) AS n FROM probe").execute())
        .andThen(done -> raw.close())
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(rows.iterator().next().getLong("n")).isZero();
          test.completeNow();
        })));
  }

  @Test
  void theTenantScopeEndsWithItsTransaction(VertxTestContext test) {
    // The pool holds a single connection, so the second statement reuses the first one's connection.
    db.inTenant(alpha, conn -> conn.query("SELECT 1").execute())
        .compose(v -> regions.pool("us").query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t")
            .execute())
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(rows.iterator().next().getString("t")).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void failedWorkIsRolledBack(VertxTestContext test) {
    UUID id = UUID.randomUUID();
    Future<RowSet<Row>> failing = db.inTenant(alpha, conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(alpha.tenantId().value(), id, null, "x"))
        .compose(v -> Future.failedFuture(new IllegalStateException("boom"))));
    failing
        .recover(error -> db.inTenant(alpha, conn -> conn.preparedQuery("SELECT 1 FROM probe WHERE id = $1")
            .execute(Tuple.of(id))))
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(rows.size()).isZero();
          test.completeNow();
        })));
  }

  @Test
  void writesThroughTheJoinedContextRollBackWithTheTransaction(VertxTestContext test) {
    // The pool holds one connection: a write that opened its own transaction would wait for it forever.
    Future<UUID> failing = db.inTenantTransaction(alpha, (conn, joined) -> insert(joined, null, "joined")
        .compose(id -> Future.<UUID>failedFuture(new IllegalStateException("boom"))));
    failing
        .transform(done -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe").execute())
            .map(rows -> done.failed() ? notes(rows) : List.of("the work did not fail")))
        .onComplete(test.succeeding(notes -> test.verify(() -> {
          assertThat(notes).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void writesThroughTheJoinedContextCommitWithTheTransaction(VertxTestContext test) {
    db.inTenantTransaction(alpha, (conn, joined) -> insert(joined, null, "joined")
            .compose(id -> conn.preparedQuery(INSERT).execute(Tuple.of(alpha.tenantId().value(), UUID.randomUUID(),
                null, "owner"))))
        .compose(v -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe").execute()))
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(notes(rows)).contains("joined", "owner");
          test.completeNow();
        })));
  }

  @Test
  void aStatementThatRidesWithTheCommitIsKept(VertxTestContext test) {
    UUID rider = UUID.randomUUID();
    db.inTenantTransaction(alpha, (conn, joined) -> insert(joined, null, "awaited").map(id -> {
          joined.transaction().commitsWith(conn.preparedQuery(INSERT)
              .execute(Tuple.of(alpha.tenantId().value(), rider, null, "rider")));
          return id;
        }))
        .compose(v -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe").execute()))
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(notes(rows)).contains("awaited", "rider");
          test.completeNow();
        })));
  }

  @Test
  void aRiderTheDatabaseRefusesRollsBackTheWholeTransaction(VertxTestContext test) {
    UUID taken = UUID.randomUUID();
    Future<UUID> failing = db.inTenantTransaction(alpha, (conn, joined) -> insert(joined, null, "before").map(id -> {
      // The same id again: the primary key refuses it in the database, after the work's future has succeeded.
      joined.transaction().commitsWith(conn.preparedQuery(INSERT)
          .execute(Tuple.of(alpha.tenantId().value(), id, null, "duplicate")));
      return id;
    }));
    failing
        .transform(done -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe").execute())
            .map(rows -> done.failed() ? done.cause().getMessage() + "|" + notes(rows) : "the work did not fail"))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result).contains("probe_pkey").endsWith("|[]");
          test.completeNow();
        })));
  }

  @Test
  void aRiderTheClientRefusesBeforeSendingItRollsBackTheWholeTransaction(VertxTestContext test) {
    // Three values for four parameters: the client fails the statement without sending it, so PostgreSQL's
    // transaction is not aborted; a COMMIT sent regardless would keep the first row.
    Future<UUID> failing = db.inTenantTransaction(alpha, (conn, joined) -> insert(joined, null, "before").map(id -> {
      joined.transaction().commitsWith(conn.preparedQuery(INSERT)
          .execute(Tuple.of(alpha.tenantId().value(), UUID.randomUUID(), null)));
      return id;
    }));
    failing
        .transform(done -> db.inTenant(alpha, conn -> conn.query("SELECT note FROM probe").execute())
            .map(rows -> done.failed() ? notes(rows) : List.of("the work did not fail")))
        .onComplete(test.succeeding(notes -> test.verify(() -> {
          assertThat(notes).isEmpty();
          test.completeNow();
        })));
  }

  @Test
  void anotherTenantsContextCannotJoinTheTransaction(VertxTestContext test) {
    db.inTenantTransaction(alpha, (conn, joined) -> insert(new TenantContext(beta.tenantId(), "us",
            IsolationTier.SHARED, beta.userId(), Set.of("tester"), Set.of(), Optional.empty(), "req", "127.0.0.1",
            joined.transaction()), null, "smuggled"))
        .onComplete(test.failing(error -> test.verify(() -> {
          assertThat(error).isInstanceOf(IllegalStateException.class);
          test.completeNow();
        })));
  }

  @Test
  void aSingleStatementRunsScopedAndLeavesNoScopeBehind(VertxTestContext test) {
    insert(alpha, null, "alpha only")
        .compose(id -> db.once(beta, conn -> conn.query("SELECT note FROM probe").execute())
            .compose(betaRows -> db.once(alpha, conn -> conn.query("SELECT note FROM probe").execute())
                .compose(alphaRows -> regions.pool("us")
                    .query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t").execute()
                    .map(after -> List.of(betaRows.size(), alphaRows.size(), after.iterator().next().getString("t"))))))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result).containsExactly(0, 1, "");
          test.completeNow();
        })));
  }

  @Test
  void aFailedSingleStatementReportsItsOwnError(VertxTestContext test) {
    db.once(alpha, conn -> conn.query("SELECT * FROM no_such_table").execute())
        .compose(v -> Future.failedFuture("should have failed"), error -> regions.pool("us")
            .query("SELECT coalesce(current_setting('app.tenant_id', true), '') AS t").execute()
            .map(after -> error.getMessage() + "|" + after.iterator().next().getString("t")))
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result).contains("no_such_table").endsWith("|");
          test.completeNow();
        })));
  }

  @Test
  void aPatientSeesOnlyTheirOwnRows(VertxTestContext test) {
    UUID self = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    TenantContext asPatient = new TenantContext(alpha.tenantId(), "us", IsolationTier.SHARED, UUID.randomUUID(),
        Set.of("patient"), Set.of(), Optional.of(self), "req", "127.0.0.1", null);
    insert(alpha, self, "mine")
        .compose(v -> insert(alpha, other, "someone else's"))
        .compose(v -> db.inTenant(asPatient, conn -> conn.query("SELECT note FROM probe").execute()))
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(notes(rows)).containsExactly("mine");
          test.completeNow();
        })));
  }

  @Test
  void aTenantsRowsLandOnlyInItsRegion(Vertx vertx, VertxTestContext test) {
    TenantContext european = context("eu");
    Pool usOwner = PgBuilder.pool().connectingTo(owners.get("us").connectOptions()).using(vertx).build();
    Pool euOwner = PgBuilder.pool().connectingTo(owners.get("eu").connectOptions()).using(vertx).build();
    String count = "SELECT set_config('app.tenant_id', $1, false), (SELECT count(*) FROM probe) AS n";
    insert(european, null, "bonjour")
        .compose(id -> Future.all(
            euOwner.preparedQuery(count).execute(Tuple.of(european.tenantId().toString())),
            usOwner.preparedQuery(count).execute(Tuple.of(european.tenantId().toString()))))
        .andThen(done -> Future.all(usOwner.close(), euOwner.close()))
        .onComplete(test.succeeding(both -> test.verify(() -> {
          RowSet<Row> eu = both.resultAt(0);
          RowSet<Row> us = both.resultAt(1);
          assertThat(eu.iterator().next().getLong("n")).isEqualTo(1);
          assertThat(us.iterator().next().getLong("n")).isZero();
          test.completeNow();
        })));
  }

  @Test
  void oneTransactionCanWriteForSeveralTenantsEachUnderItsOwnScope(VertxTestContext test) {
    Map<TenantContext, String> steps = new LinkedHashMap<>();
    steps.put(alpha, "for alpha");
    steps.put(beta, "for beta");
    db.inTenants("us", steps, (conn, note) -> conn.preparedQuery(
                "INSERT INTO probe (tenant_id, id, note) VALUES (nullif(current_setting('app.tenant_id'), '')::uuid, $1, $2)")
            .execute(Tuple.of(UUID.randomUUID(), note)))
        .compose(v -> db.inTenant(beta, conn -> conn.query("SELECT note FROM probe").execute()))
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(notes(rows)).containsExactly("for beta");
          test.completeNow();
        })));
  }

  @Test
  void theAppRoleCannotSwitchRowLevelSecurityOff(VertxTestContext test) {
    db.inTenant(alpha, conn -> conn.query("ALTER TABLE probe DISABLE ROW LEVEL SECURITY").execute())
        .onComplete(test.failing(error -> test.verify(() -> {
          assertThat(error).hasMessageContaining("must be owner");
          test.completeNow();
        })));
  }

  @Test
  void theAppRoleCannotOptOutOfRowSecurity(VertxTestContext test) {
    insert(alpha, null, "guarded")
        .compose(id -> db.inTenant(beta, conn -> conn.query("SET LOCAL row_security = off").execute()
            .compose(v -> conn.query("SELECT note FROM probe").execute())))
        .onComplete(test.failing(error -> test.verify(() -> {
          assertThat(error).hasMessageContaining("row-level security");
          test.completeNow();
        })));
  }

  @Test
  void onlyAConfinedAppRolePassesTheStartUpCheck() {
    TestInfrastructure infra = TestInfrastructure.get();
    RoleCheck.requireConfined(infra.asApp(owners.get("us")), infra.roles());
    assertThatThrownBy(() -> RoleCheck.requireConfined(owners.get("us"), infra.roles()))
        .hasMessageContaining("owns tables");
    assertThatThrownBy(() -> RoleCheck.requireConfined(infra.superuser().onDatabase(owners.get("us").database()),
        infra.roles())).hasMessageContaining("superuser");
  }

  private Future<UUID> insert(TenantContext ctx, UUID patientId, String note) {
    UUID id = UUID.randomUUID();
    return db.inTenant(ctx, conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(ctx.tenantId().value(), id, patientId, note))).map(rows -> id);
  }

  private static List<String> notes(RowSet<Row> rows) {
    List<String> notes = new java.util.ArrayList<>();
    rows.forEach(row -> notes.add(row.getString("note")));
    return notes;
  }

  private static TenantContext context(String region) {
    return new TenantContext(new TenantId(UUID.randomUUID()), region, IsolationTier.SHARED, UUID.randomUUID(),
        Set.of("tester"), Set.of(), Optional.empty(), "req", "127.0.0.1", null);
  }
}
