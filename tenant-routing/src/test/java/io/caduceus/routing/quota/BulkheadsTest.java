package io.caduceus.routing.quota;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.PlacementView;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.testing.EventLoops;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** One tenant's database work cannot take the whole pool: past its share it waits briefly, then is refused. */
class BulkheadsTest {

  private static final DatabaseEndpoint DATABASE = TestInfrastructure.get().freshDatabases(List.of("us"),
      List.of(new MigrationSet("classpath:db/probe", "probe_history"))).get("us");

  private Vertx vertx;
  private RegionRegistry regions;
  private TenantDb db;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    regions = RegionRegistry.open(vertx, Map.of("us", TestInfrastructure.get().asApp(DATABASE)), 4, 1);
    db = new TenantDb(regions, new Bulkheads(vertx, 2, 1, 300), PlacementView.sharedOnly());
  }

  @AfterEach
  void close() throws Exception {
    await(regions.close().transform(v -> vertx.close()));
  }

  private static TenantContext tenant() {
    return TenantContext.system(new TenantId(UUID.randomUUID()), "us", IsolationTier.SHARED, UUID.randomUUID(),
        Set.of(), "test");
  }

  @Test
  void aTenantAtItsShareWaitsThenIsRefusedWhileAnotherTenantIsServed() throws Exception {
    TenantContext noisy = tenant();
    Promise<Void> hold = Promise.promise();
    Future<Void> first = db.inTenant(noisy, conn -> hold.future());
    Future<Void> second = db.inTenant(noisy, conn -> hold.future());
    Future<Integer> queued = db.inTenant(noisy, conn -> Future.succeededFuture(3));
    Future<Integer> overflow = db.inTenant(noisy, conn -> Future.succeededFuture(4));

    Integer other = await(db.inTenant(tenant(), conn -> conn.query("SELECT 1").execute().map(rows -> 1)));
    assertThat(other).isEqualTo(1);
    assertThat(failure(overflow)).isInstanceOf(Bulkheads.Full.class);
    // The queued call times out after 300 ms while both permits are held.
    assertThat(failure(queued)).isInstanceOf(Bulkheads.Full.class);

    hold.complete();
    await(Future.all(first, second));
    Integer after = await(db.inTenant(noisy, conn -> Future.succeededFuture(5)));
    assertThat(after).isEqualTo(5);
  }

  @Test
  void aWaitingCallRunsAsSoonAsAPermitIsReleased() throws Exception {
    db = new TenantDb(regions, new Bulkheads(vertx, 1, 4, 5_000), PlacementView.sharedOnly());
    TenantContext t = tenant();
    Promise<Void> hold = Promise.promise();
    Future<Void> first = db.inTenant(t, conn -> hold.future());
    Future<Integer> waiting = db.once(t, conn -> conn.query("SELECT 2").execute().map(rows -> 2));
    vertx.setTimer(100, id -> hold.complete());
    Integer ran = await(waiting);
    assertThat(ran).isEqualTo(2);
    await(first);
  }

  @Test
  void aCallThatWaitedForAPermitResumesOnItsOwnEventLoopNotTheReleasers() throws Exception {
    Bulkheads bulkheads = new Bulkheads(vertx, 1, 4, 10_000);
    TenantId tenant = new TenantId(UUID.randomUUID());
    Context holder = EventLoops.context(vertx);
    Context waiter = EventLoops.context(vertx);
    String holderThread = EventLoops.thread(holder);
    String waiterThread = EventLoops.thread(waiter);
    assertThat(waiterThread).as("two contexts on different event loops").isNotEqualTo(holderThread);

    Promise<Void> hold = Promise.promise();
    Future<Void> held = EventLoops.on(holder, () -> bulkheads.run(tenant, hold::future));
    AtomicReference<String> workRanOn = new AtomicReference<>();
    AtomicReference<String> resumedOn = new AtomicReference<>();
    Future<String> waited = EventLoops.on(waiter, () -> bulkheads.<String>run(tenant, () -> {
      workRanOn.set(Thread.currentThread().getName());
      return Future.succeededFuture("ran");
    }).onComplete(done -> resumedOn.set(Thread.currentThread().getName())));
    assertThat(waited.isComplete()).as("the second call waits for the only permit").isFalse();

    // The holder releases its permit on its own event loop; the waiter must go on on the waiter's.
    holder.runOnContext(v -> hold.complete());
    assertThat(await(waited)).isEqualTo("ran");
    await(held);
    assertThat(workRanOn.get()).isEqualTo(waiterThread);
    assertThat(resumedOn.get()).isEqualTo(waiterThread);
  }
}
