package io.caduceus.api.audit;

import io.caduceus.api.testing.Sql;
import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Verify after real breaks, on a chain of many small seals: every broken range is reported, each where it is, and
 * the seals between and after them still check out (verify resynchronises on what is stored after each break).
 */
class AuditVerifyTest {

  private final ChainCluster cluster = ChainCluster.shared();
  private final TenantId tenant = new TenantId(UUID.randomUUID());

  /** Twelve events in six seals of two. */
  private List<Map<String, Object>> aChainOfSixSeals() {
    try (ChainCluster.Writer writer = cluster.writer(tenant)) {
      for (int i = 0; i < 6; i++) {
        writer.insert(2);
        writer.commit();
        assertThat(cluster.seal(tenant, 2)).isEqualTo(2);
      }
    }
    assertThat(cluster.verify(tenant).intact()).isTrue();
    return Sql.query(cluster.superuser(), "SELECT seq, event_ids[1] AS first, event_ids[2] AS second, last_txid::text"
        + " AS txid FROM audit_seal WHERE tenant_id = ? ORDER BY seq", tenant.value());
  }

  @Test
  void anIntactChainReportsNoBreak() {
    aChainOfSixSeals();
    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.intact()).isTrue();
    assertThat(verdict.seals()).isEqualTo(6);
    assertThat(verdict.sealedEvents()).isEqualTo(12);
    assertThat(verdict.breaks()).isEmpty();
  }

  @Test
  void everyBrokenRangeIsReportedAndTheSealsBetweenStillCheckOut() {
    List<Map<String, Object>> seals = aChainOfSixSeals();
    UUID altered = (UUID) seals.get(1).get("second");
    UUID deleted = (UUID) seals.get(2).get("first");
    UUID forged = new UUID(0, 7);
    cluster.asOwner(tenant,
        "UPDATE audit_event SET outcome = 'denied' WHERE id = '" + altered + "'",
        "DELETE FROM audit_event WHERE id = '" + deleted + "'",
        "INSERT INTO audit_event (tenant_id, id, txid, occurred_at, actor_user_id, actor_roles, action, resource_type,"
            + " outcome, request_id) VALUES ('" + tenant + "', '" + forged + "', '" + seals.get(3).get("txid")
            + "', now(), gen_random_uuid(), '{nurse}', 'patient.read', 'patient', 'success', 'forged')",
        "UPDATE audit_seal SET prev_hash = '\\x00' WHERE tenant_id = '" + tenant + "' AND seq = 6");

    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.intact()).isFalse();
    assertThat(verdict.breaks()).extracting(ChainBreak::kind, ChainBreak::fromSeal, ChainBreak::toSeal,
            ChainBreak::eventId)
        .containsExactly(
            tuple(ChainBreak.Kind.EVENT_ALTERED, 2L, 2L, altered),
            tuple(ChainBreak.Kind.EVENT_MISSING, 3L, 3L, deleted),
            tuple(ChainBreak.Kind.EVENT_ADDED, 4L, 4L, forged),
            tuple(ChainBreak.Kind.SEAL_ALTERED, 6L, 6L, null));
    assertThat(verdict.firstBreak().kind()).isEqualTo(ChainBreak.Kind.EVENT_ALTERED);
    assertThat(verdict.seals()).isEqualTo(6);
    assertThat(verdict.sealedEvents()).isEqualTo(12);
  }

  @Test
  void aDeletedSealIsReportedWithTheEventsItLeftUnsealed() {
    List<Map<String, Object>> seals = aChainOfSixSeals();
    cluster.asOwner(tenant, "DELETE FROM audit_seal WHERE tenant_id = '" + tenant + "' AND seq = 4");

    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.breaks()).extracting(ChainBreak::kind, ChainBreak::fromSeal, ChainBreak::toSeal,
            ChainBreak::events)
        .containsExactly(
            tuple(ChainBreak.Kind.SEAL_MISSING, 4L, 4L, 0L),
            tuple(ChainBreak.Kind.EVENT_ADDED, 5L, 5L, 2L),
            tuple(ChainBreak.Kind.SEAL_ALTERED, 5L, 5L, 0L));
    assertThat(verdict.breaks().get(1).eventId()).isEqualTo(seals.get(3).get("first"));
  }

  @Test
  void consecutiveSealsBrokenAlikeAreOneRange() {
    List<Map<String, Object>> seals = aChainOfSixSeals();
    cluster.asOwner(tenant, "UPDATE audit_event SET request_id = 'rewritten' WHERE id IN ('" + seals.get(2).get("first")
        + "', '" + seals.get(2).get("second") + "', '" + seals.get(3).get("first") + "')");

    AuditVerification verdict = cluster.verify(tenant);
    assertThat(verdict.breaks()).extracting(ChainBreak::kind, ChainBreak::fromSeal, ChainBreak::toSeal,
            ChainBreak::events, ChainBreak::eventId)
        .containsExactly(tuple(ChainBreak.Kind.EVENT_ALTERED, 3L, 4L, 3L, seals.get(2).get("first")));
    assertThat(verdict.brokenRanges()).isEqualTo(1);
  }
}
