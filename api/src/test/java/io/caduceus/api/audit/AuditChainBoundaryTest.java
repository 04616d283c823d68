package io.caduceus.api.audit;

import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transaction ids gain a digit at every power of ten; as text, "10000" sorts before "9999". The chain is sealed
 * across 9,999 → 10,000 and 99,999 → 100,000 on a cluster of the test's own, whose counter it moves to just below
 * each boundary, with writers that overlap and seals whose small batches straddle the boundary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditChainBoundaryTest {

  private static ChainCluster cluster;

  @BeforeAll
  static void aClusterOfItsOwn() {
    cluster = ChainCluster.start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void aChainSealedAcrossTenThousandHoldsEveryEventOnce() {
    sealAcross(10_000);
  }

  @Test
  @Order(2)
  void aChainSealedAcrossAHundredThousandHoldsEveryEventOnce() {
    sealAcross(100_000);
  }

  private void sealAcross(long boundary) {
    TenantId tenant = new TenantId(UUID.randomUUID());
    List<ChainCluster.Writer> w = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      w.add(cluster.writer(tenant));
    }
    try {
      cluster.advanceTo(boundary - 6);
      w.get(0).insert(2);
      w.get(1).insert(1);
      w.get(2).insert(3);
      w.get(1).commit();
      // The oldest writer is still open: nothing at or above its transaction may be sealed yet.
      cluster.seal(tenant, 2);
      w.get(3).insert(2);
      w.get(4).insert(1);
      w.get(5).insert(2);
      w.get(6).insert(2);
      w.get(7).insert(1);
      w.get(0).commit();
      w.get(2).commit();
      w.get(4).commit();
      w.get(6).commit();
      cluster.seal(tenant, 3);
      w.get(3).commit();
      w.get(5).commit();
      w.get(7).commit();
      cluster.seal(tenant, 4);
      w.get(8).insert(3);
      w.get(8).commit();
      cluster.seal(tenant, 5);
    } finally {
      w.forEach(ChainCluster.Writer::close);
    }

    List<Long> txids = cluster.txids(tenant);
    assertThat(Collections.min(txids)).as("an event below the boundary").isLessThan(boundary);
    assertThat(Collections.max(txids)).as("an event above the boundary").isGreaterThanOrEqualTo(boundary);
    assertThat(cluster.timesSealed(tenant)).as("seals listing each event").hasSize(17).allSatisfy((event, times) ->
        assertThat(times).as("seals listing event %s", event).isEqualTo(1));
    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.intact()).as("intact: %s", verdict).isTrue();
    assertThat(verdict.sealedEvents()).isEqualTo(17);
    assertThat(verdict.unsealedEvents()).isZero();
  }
}
