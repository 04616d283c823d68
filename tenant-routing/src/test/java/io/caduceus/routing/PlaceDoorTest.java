package io.caduceus.routing;

import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.schema.PlaceMigrations;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A job reaches one tenant's rows in a place as the owner role, and still only that tenant's. */
@ExtendWith(VertxExtension.class)
class PlaceDoorTest {

  private static final MigrationSet PROBE = new MigrationSet("classpath:db/probe", "probe_history");
  private static final String INSERT = "INSERT INTO probe (tenant_id, id, note) VALUES ($1, $2, $3)";
  private static Map<String, DatabaseEndpoint> owners;

  private RegionRegistry regions;
  private ControlPlane controlPlane;
  private TenantDb db;
  private PlaceDoor door;
  private final TenantContext alpha = context();
  private final TenantContext beta = context();

  @BeforeAll
  static void databases() {
    owners = TestInfrastructure.get().freshDatabases(List.of("us"), List.of(PROBE));
  }

  @BeforeEach
  void open(Vertx vertx) {
    TestInfrastructure infra = TestInfrastructure.get();
    Map<String, DatabaseEndpoint> app = new LinkedHashMap<>();
    owners.forEach((region, owner) -> app.put(region, infra.asApp(owner)));
    regions = RegionRegistry.open(vertx, app, 1, 1);
    controlPlane = ControlPlane.open(vertx, app.get("us"), 1, 1);
    db = new TenantDb(regions);
    door = new PlaceDoor(vertx, new PlaceMigrations(infra.roles(), owners, infra.superuser(), List.of(PROBE)),
        controlPlane, regions);
  }

  @AfterEach
  void close(VertxTestContext test) {
    Future.join(regions.close(), controlPlane.close()).onComplete(test.succeedingThenComplete());
  }

  @Test
  void aTenantsRowsAreReadDeletedAndWrittenBackWithoutTouchingAnothers(VertxTestContext test) {
    TenantRows rows = door.rows(Placement.shared("us"), alpha.tenantId(), "place-door-test");
    List<String> read = new ArrayList<>();
    insert(alpha, "first").compose(v -> insert(alpha, "second")).compose(v -> insert(beta, "beta's"))
        .compose(v -> rows.tables())
        .compose(tables -> {
          TenantRows.Table probe = tables.stream().filter(t -> t.name().equals("probe")).findFirst().orElseThrow();
          return rows.tally(probe).compose(before -> rows.readAll(tables, (table, batch) -> {
            read.addAll(batch);
            return Future.succeededFuture();
          }).compose(counts -> rows.deleteAll(tables)).compose(deleted -> rows.tally(probe).compose(emptied ->
              rows.insert(probe, read).compose(v -> rows.tally(probe)).compose(restored -> notes(beta).map(betas ->
                  List.of(tables.size(), before, deleted, emptied.rows(), restored, betas))))));
        })
        .andThen(done -> rows.close())
        .onComplete(test.succeeding(seen -> test.verify(() -> {
          TenantRows.Tally before = (TenantRows.Tally) seen.get(1);
          assertThat(seen.get(0)).as("tables: probe and probe_job").isEqualTo(2);
          assertThat(before.rows()).isEqualTo(2);
          assertThat(read).hasSize(2).allMatch(line -> line.contains(alpha.tenantId().toString()));
          assertThat(seen.get(2)).as("deleted").isEqualTo(2L);
          assertThat(seen.get(3)).as("left after deletion").isEqualTo(0L);
          assertThat(seen.get(4)).as("written back").isEqualTo(before);
          assertThat(seen.get(5)).as("the other tenant's rows").isEqualTo(List.of("beta's"));
          test.completeNow();
        })));
  }

  private Future<Void> insert(TenantContext ctx, String note) {
    return db.inTenant(ctx, conn -> conn.preparedQuery(INSERT)
        .execute(Tuple.of(ctx.tenantId().value(), UUID.randomUUID(), note))).mapEmpty();
  }

  private Future<List<String>> notes(TenantContext ctx) {
    return db.inTenant(ctx, conn -> conn.query("SELECT note FROM probe").execute()).map(found -> {
      List<String> notes = new ArrayList<>();
      found.forEach(row -> notes.add(row.getString("note")));
      return notes;
    });
  }

  private static TenantContext context() {
    return new TenantContext(new TenantId(UUID.randomUUID()), "us", IsolationTier.SHARED, UUID.randomUUID(),
        Set.of("admin"), Set.of(), Optional.empty(), "test", "127.0.0.1", null);
  }
}
