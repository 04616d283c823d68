package io.caduceus.routing;

import io.caduceus.routing.schema.MigrationSet;
import io.caduceus.routing.testing.EventLoops;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The placement view is shared by every event loop of a node; so is a read of it under way. */
class PlacementViewTest {

  private static final DatabaseEndpoint CONTROL_PLANE = TestInfrastructure.get().freshDatabases(List.of("global"),
      List.of(MigrationSet.CONTROL_PLANE)).get("global");

  private Vertx vertx;
  private ControlPlane controlPlane;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    controlPlane = ControlPlane.open(vertx, TestInfrastructure.get().asApp(CONTROL_PLANE), 2, 2);
  }

  @AfterEach
  void close() throws Exception {
    // One after the other from this thread: a Vert.x closed from its own event loop completes late.
    await(controlPlane.close());
    await(vertx.close());
  }

  @Test
  void aRequestJoiningAReadUnderWayResumesOnItsOwnEventLoop() throws Exception {
    PlacementView placements = await(PlacementView.load(vertx, controlPlane, 3_600_000));
    Context first = EventLoops.context(vertx);
    Context joiner = EventLoops.context(vertx);
    String joinerThread = EventLoops.thread(joiner);
    assertThat(joinerThread).as("two contexts on different event loops").isNotEqualTo(EventLoops.thread(first));

    // The owner holds the tenant table, so the read started on the first loop is still under way when the second
    // loop asks too and joins it.
    SqlConnection owner = await(PgConnection.connect(vertx, CONTROL_PLANE.connectOptions()));
    await(owner.query("BEGIN").execute().compose(v -> owner.query("LOCK TABLE tenant IN ACCESS EXCLUSIVE MODE")
        .execute()));
    Future<Void> started = EventLoops.on(first, placements::refresh);
    AtomicReference<String> resumedOn = new AtomicReference<>();
    Future<Void> joined = EventLoops.on(joiner, () -> placements.refresh()
        .onComplete(done -> resumedOn.set(Thread.currentThread().getName())));
    assertThat(joined.isComplete()).isFalse();

    await(owner.query("COMMIT").execute().compose(v -> owner.close()));
    await(Future.all(started, joined));
    assertThat(resumedOn.get()).isEqualTo(joinerThread);
  }
}
