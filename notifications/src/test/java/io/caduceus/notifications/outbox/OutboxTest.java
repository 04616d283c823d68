package io.caduceus.notifications.outbox;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(VertxExtension.class)
class OutboxTest {

  private static DatabaseEndpoint owner;

  private RegionRegistry regions;
  private TenantDb db;
  private final Outbox outbox = new Outbox();
  private final TenantContext clinic = context();
  private final TenantContext other = context();

  @BeforeAll
  static void database() {
    owner = TestInfrastructure.get().freshDatabases(List.of("us"),
        List.of(new MigrationSet(Outbox.MIGRATIONS, "notifications_history"))).get("us");
  }

  @BeforeEach
  void open(Vertx vertx) {
    regions = RegionRegistry.open(vertx, Map.of("us", TestInfrastructure.get().asApp(owner)), 2, 1);
    db = new TenantDb(regions);
  }

  @AfterEach
  void close(VertxTestContext test) {
    regions.close().onComplete(test.succeedingThenComplete());
  }

  @Test
  void aMessageCommitsWithTheDomainWrite(VertxTestContext test) {
    OutboxMessage booked = new OutboxMessage("appointment.booked", "a-1", new JsonObject().put("appointmentId", "a-1"));
    db.inTenant(clinic, conn -> outbox.append(conn, clinic.tenantId(), booked))
        .compose(id -> db.inTenant(clinic, conn -> conn.query("SELECT topic, status, payload FROM outbox_event").execute()))
        .onComplete(test.succeeding(rows -> test.verify(() -> {
          assertThat(rows.size()).isEqualTo(1);
          var row = rows.iterator().next();
          assertThat(row.getString("topic")).isEqualTo("appointment.booked");
          assertThat(row.getString("status")).isEqualTo("pending");
          assertThat(row.getJsonObject("payload").getString("appointmentId")).isEqualTo("a-1");
          test.completeNow();
        })));
  }

  @Test
  void aMessageVanishesWhenTheDomainWriteRollsBack(VertxTestContext test) {
    OutboxMessage msg = new OutboxMessage("appointment.booked", "a-2", new JsonObject());
    Future<UUID> failed = db.inTenant(other, conn -> outbox.append(conn, other.tenantId(), msg)
        .compose(id -> Future.failedFuture(new IllegalStateException("domain write failed"))));
    failed.transform(outcome -> outcome.failed() ? rows(other) : Future.failedFuture("the write should have failed"))
        .onComplete(test.succeeding(count -> test.verify(() -> {
          assertThat(count).isZero();
          test.completeNow();
        })));
  }

  @Test
  void anotherTenantSeesNoneOfTheMessages(VertxTestContext test) {
    TenantContext writer = context();
    TenantContext reader = context();
    db.inTenant(writer, conn -> outbox.append(conn, writer.tenantId(),
            new OutboxMessage("appointment.booked", "a-3", new JsonObject())))
        .compose(id -> rows(reader))
        .onComplete(test.succeeding(count -> test.verify(() -> {
          assertThat(count).isZero();
          test.completeNow();
        })));
  }

  private Future<Long> rows(TenantContext ctx) {
    return db.inTenant(ctx, conn -> conn.query("SELECT count(*) AS n FROM outbox_event").execute())
        .map(rows -> rows.iterator().next().getLong("n"));
  }

  private static TenantContext context() {
    return new TenantContext(new TenantId(UUID.randomUUID()), "us", IsolationTier.SHARED, UUID.randomUUID(),
        Set.of("physician"), Set.of(), Optional.empty(), "req", "127.0.0.1", null);
  }
}
