package io.caduceus.api.audit;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A chain broken by the text-ordering bug, as the old sealer broke it across a power of ten: verify shows the whole
 * extent, and a recorded repair re-seals it from its first bad link without rewriting any stored row.
 */
class AuditChainRepairTest {

  private static final String REASON = "re-seal after the text-ordering bug of the sealer (issue 10)";

  private static final ChainCluster cluster = ChainCluster.shared();
  /** Chains the old sealer broke by sealing an event twice, and one where it skipped events below the boundary. */
  private static final List<TenantId> sealedTwice = new ArrayList<>();
  private static TenantId skipped;
  private static long boundary;

  /**
   * One crossing of a power of ten for every chain of this class. Each tenant first commits one event, sealed
   * rightly; then its transactions below and above the boundary commit and the old sealer seals them in threes.
   * Below: two transactions (two events, one event) for a sealed-twice chain, two of one event for the skipped one;
   * above: one of one event, or three of one event. As text, the events above sort first: the sealed-twice chain's
   * batches end below the boundary, listing the event above it twice; the skipped chain's first batch is all above,
   * and the head passes the events below.
   */
  @BeforeAll
  static void chainsTheOldSealerBroke() {
    for (int i = 0; i < 4; i++) {
      sealedTwice.add(new TenantId(UUID.randomUUID()));
    }
    skipped = new TenantId(UUID.randomUUID());
    List<TenantId> all = new ArrayList<>(sealedTwice);
    all.add(skipped);
    List<ChainCluster.Writer> writers = new ArrayList<>();
    try {
      boundary = cluster.belowNextBoundary(3L * all.size());
      List<ChainCluster.Writer> prefixes = open(all, 1, writers);
      List<ChainCluster.Writer> below = new ArrayList<>();
      for (TenantId tenant : all) {
        below.addAll(open(List.of(tenant), tenant == skipped ? 1 : 2, writers));
        below.addAll(open(List.of(tenant), 1, writers));
      }
      List<ChainCluster.Writer> above = open(sealedTwice, 1, writers);
      above.addAll(open(List.of(skipped, skipped, skipped), 1, writers));
      prefixes.forEach(ChainCluster.Writer::commit);
      all.forEach(tenant -> cluster.legacySealer().seal(tenant, 3));
      below.forEach(ChainCluster.Writer::commit);
      above.forEach(ChainCluster.Writer::commit);
      all.forEach(tenant -> cluster.legacySealer().seal(tenant, 3));
    } finally {
      writers.forEach(ChainCluster.Writer::close);
    }
  }

  /** A writer per tenant listed, each with a transaction of {@code events} events open. */
  private static List<ChainCluster.Writer> open(List<TenantId> tenants, int events, List<ChainCluster.Writer> all) {
    List<ChainCluster.Writer> opened = new ArrayList<>();
    for (TenantId tenant : tenants) {
      ChainCluster.Writer writer = cluster.writer(tenant);
      writer.insert(events);
      opened.add(writer);
      all.add(writer);
    }
    return opened;
  }

  @Test
  void verifyShowsTheWholeExtentOfWhatTheOldSealerBroke() {
    TenantId twice = sealedTwice.get(0);
    List<Long> txids = cluster.txids(twice);
    assertThat(txids).as("transactions of %s around %d", twice, boundary)
        .anyMatch(x -> x < boundary).anyMatch(x -> x >= boundary);
    AuditVerification verdict = cluster.verify(twice);
    assertThat(verdict.intact()).isFalse();
    assertThat(verdict.breaks()).extracting(ChainBreak::kind, ChainBreak::fromSeal, ChainBreak::toSeal,
        ChainBreak::events).containsExactly(tuple(ChainBreak.Kind.EVENT_SEALED_TWICE, 2L, 3L, 2L));
    assertThat(verdict.firstBreak().fromSeal()).isEqualTo(2);
    assertThat(cluster.timesSealed(twice).values()).containsExactlyInAnyOrder(1L, 1L, 1L, 1L, 2L);

    AuditVerification gaps = cluster.verify(skipped);
    assertThat(gaps.breaks()).extracting(ChainBreak::kind, ChainBreak::fromSeal, ChainBreak::toSeal,
        ChainBreak::events).containsExactly(tuple(ChainBreak.Kind.EVENT_ADDED, 2L, 2L, 2L));
    assertThat(cluster.timesSealed(skipped).values()).containsExactlyInAnyOrder(1L, 1L, 1L, 1L, 0L, 0L);
  }

  @Test
  void aRepairReSealsFromTheFirstBadLinkAndVerifyShowsItIntactWithTheRepair() {
    for (TenantId tenant : List.of(sealedTwice.get(1), skipped)) {
      int events = cluster.timesSealed(tenant).size();
      AuditVerification broken = cluster.verify(tenant);
      long head = headSeal(tenant);

      AuditRepair repair = cluster.repair(tenant, broken.firstBreak().fromSeal(), REASON);
      assertThat(repair.firstSeal()).isEqualTo(2);
      assertThat(repair.lastSeal()).isEqualTo(head);
      assertThat(repair.breaks()).isEqualTo(broken.breaks());
      assertThat(repair.reason()).isEqualTo(REASON);

      // Until the sealer catches up, the chain is intact through the repair, and the rest waits to be sealed.
      AuditVerification repaired = cluster.verify(tenant);
      assertThat(repaired.intact()).as("after the repair: %s", repaired).isTrue();
      assertThat(repaired.unsealedEvents()).as("all but the first, and the repair's own").isEqualTo(events);

      cluster.seal(tenant, 2);
      AuditVerification resealed = cluster.verify(tenant);
      assertThat(resealed.intact()).as("re-sealed: %s", resealed).isTrue();
      assertThat(resealed.unsealedEvents()).isZero();
      assertThat(resealed.sealedEvents()).as("every event, and the repair's own").isEqualTo(events + 1);
      assertThat(resealed.repairs()).extracting(AuditRepair::id).containsExactly(repair.id());
      assertThat(resealed.repairs().get(0).breaks()).isEqualTo(broken.breaks());
      assertThat(cluster.timesSealed(tenant)).hasSize(events + 1).allSatisfy((event, n) -> assertThat(n).isEqualTo(1));
      assertThat(cluster.sealsOutOfOrder(tenant)).isEmpty();
      assertThat(Sql.query(cluster.superuser(), "SELECT action FROM audit_event WHERE tenant_id = ?"
          + " AND resource_id = ?", tenant.value(), repair.id())).extracting(r -> r.get("action"))
          .containsExactly("audit.repair");
      assertThat(Sql.query(cluster.superuser(), "SELECT count(*) AS n FROM audit_seal WHERE tenant_id = ?"
          + " AND seq <= ?", tenant.value(), head).get(0).get("n")).as("the broken seals stay").isEqualTo(head);
    }
  }

  @Test
  void tamperingAfterARepairIsStillCaught() {
    TenantId tenant = sealedTwice.get(2);
    AuditRepair repair = cluster.repair(tenant, cluster.verify(tenant).firstBreak().fromSeal(), REASON);
    cluster.seal(tenant, 2);
    UUID victim = (UUID) Sql.query(cluster.superuser(), "SELECT event_ids[1] AS id FROM audit_seal WHERE tenant_id = ?"
        + " ORDER BY seq DESC LIMIT 1", tenant.value()).get(0).get("id");
    cluster.asOwner(tenant, "UPDATE audit_event SET outcome = 'failed' WHERE id = '" + victim + "'");

    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.intact()).isFalse();
    assertThat(verdict.breaks()).extracting(ChainBreak::kind, ChainBreak::eventId)
        .containsExactly(tuple(ChainBreak.Kind.EVENT_ALTERED, victim));
    assertThat(verdict.firstBreak().fromSeal()).isGreaterThan(repair.lastSeal());
    assertThat(verdict.repairs()).hasSize(1);
    assertThat(verdict.repairFrom()).as("a break after the repair may be repaired in turn").isNotNull();
  }

  @Test
  void aRepairRecordOrTheSealsItSupersededCannotBeChangedUnseen() {
    TenantId tenant = sealedTwice.get(3);
    AuditRepair repair = cluster.repair(tenant, cluster.verify(tenant).firstBreak().fromSeal(), REASON);
    cluster.seal(tenant, 2);
    cluster.asOwner(tenant, "UPDATE audit_repair SET reason = 'nothing to see here, move along' WHERE id = '"
        + repair.id() + "'");
    assertThat(cluster.verify(tenant).breaks()).extracting(ChainBreak::kind, ChainBreak::fromSeal)
        .containsExactly(tuple(ChainBreak.Kind.REPAIR_ALTERED, repair.firstSeal()));

    cluster.asOwner(tenant, "UPDATE audit_repair SET reason = '" + REASON + "' WHERE id = '" + repair.id() + "'",
        "DELETE FROM audit_seal WHERE tenant_id = '" + tenant + "' AND seq = " + repair.lastSeal());
    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.breaks()).extracting(ChainBreak::kind).containsExactly(ChainBreak.Kind.REPAIR_ALTERED);
    assertThat(verdict.repairFrom()).as("evidence a repair relied on is not re-sealed over").isNull();
  }

  @Test
  void aRepairMustConfirmTheFirstBrokenSealOfABrokenChain() {
    TenantId tenant = new TenantId(UUID.randomUUID());
    try (ChainCluster.Writer writer = cluster.writer(tenant)) {
      writer.insert(3);
      writer.commit();
    }
    cluster.seal(tenant, 2);
    assertThatThrownBy(() -> cluster.repair(tenant, 1, REASON)).hasRootCauseInstanceOf(Conflict.class)
        .hasStackTraceContaining("intact");

    cluster.asOwner(tenant, "UPDATE audit_event SET outcome = 'denied' WHERE tenant_id = '" + tenant + "'");
    assertThatThrownBy(() -> cluster.repair(tenant, 2, REASON)).hasRootCauseInstanceOf(Conflict.class)
        .hasStackTraceContaining("first breaks at seal 1, not at seal 2");
    assertThat(cluster.repair(tenant, 1, REASON).firstSeal()).isEqualTo(1);
    cluster.seal(tenant, 2);
    assertThat(cluster.verify(tenant).intact()).isTrue();

    // The seals a repair superseded are its evidence: altering one is reported, and not re-sealed over.
    cluster.asOwner(tenant, "UPDATE audit_seal SET seal_hash = '\\x01' WHERE tenant_id = '" + tenant + "' AND seq = 1");
    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.intact()).isFalse();
    assertThat(verdict.repairFrom()).isNull();
    assertThatThrownBy(() -> cluster.repair(tenant, verdict.firstBreak().fromSeal(), REASON))
        .hasRootCauseInstanceOf(Conflict.class).hasStackTraceContaining("before the last repair");
  }

  private static long headSeal(TenantId tenant) {
    return ((Number) Sql.query(cluster.superuser(), "SELECT max(seq) AS n FROM audit_seal WHERE tenant_id = ?",
        tenant.value()).get(0).get("n")).longValue();
  }
}
