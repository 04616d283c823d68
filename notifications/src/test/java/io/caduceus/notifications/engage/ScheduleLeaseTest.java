package io.caduceus.notifications.engage;

import io.caduceus.routing.DatabaseEndpoint;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.testing.TestInfrastructure;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** One node at a time runs a schedule, and a schedule missed during downtime runs once on recovery. */
class ScheduleLeaseTest {

  private static final DatabaseEndpoint DATABASE = Engine.database();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T15:00:00Z"));
  private Vertx vertx;
  private RegionRegistry regions;

  @BeforeEach
  void open() {
    vertx = Vertx.vertx();
    regions = RegionRegistry.open(vertx, Map.of("us", TestInfrastructure.get().asApp(DATABASE)), 8, 1);
  }

  @AfterEach
  void close() {
    await(regions.close().transform(v -> vertx.close()));
  }

  @Test
  void ofEightNodesClaimingAtOnceExactlyOneRunsTheSchedule() {
    TenantDb db = new TenantDb(regions);
    String name = "race-" + System.nanoTime();
    List<Future<Boolean>> claims = new ArrayList<>();
    for (int node = 0; node < 8; node++) {
      claims.add(new ScheduleLease(db, clock, "node-" + node).claim("us", name, Duration.ofMinutes(1)));
    }
    await(Future.all(claims));
    assertThat(claims.stream().filter(Future::result).count()).isEqualTo(1);
  }

  @Test
  void aScheduleMissedForAnHourRunsOnceOnRecoveryNotSixtyTimes() {
    ScheduleLease lease = new ScheduleLease(new TenantDb(regions), clock, "node-a");
    String name = "downtime-" + System.nanoTime();
    assertThat(await(lease.claim("us", name, Duration.ofMinutes(1)))).isTrue();
    clock.advance(Duration.ofHours(1));
    int runs = 0;
    for (int i = 0; i < 60; i++) {
      runs += await(lease.claim("us", name, Duration.ofMinutes(1))) ? 1 : 0;
    }
    assertThat(runs).isEqualTo(1);
    clock.advance(Duration.ofMinutes(1));
    assertThat(await(lease.claim("us", name, Duration.ofMinutes(1)))).isTrue();
  }
}
