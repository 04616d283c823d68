package io.caduceus.api.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seals written before transaction ids were carried as numbers must still verify: an event hashes to the same link
 * as it did when its txid was the xid8's text. The expected link was computed by the chain code as it was then.
 */
class AuditChainEncodingTest {

  private static final UUID PATIENT = UUID.fromString("66666666-7777-4888-8999-aaaaaaaaaaaa");

  @Test
  void anEventHashesAsItDidWhenItsTxidWasText() {
    AuditRecord event = new AuditRecord(UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
        UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-000000000001"), 100_042L,
        Instant.parse("2024-07-01T12:34:56.123456Z"), UUID.fromString("11111111-2222-4333-8444-555555555555"),
        List.of("nurse", "physician"), "patient.read", "patient", PATIENT, List.of(PATIENT), "success", "req-1",
        "127.0.0.1", null, null);
    assertThat(HexFormat.of().formatHex(AuditChain.link(AuditChain.GENESIS, event)))
        .isEqualTo("9f376893d35137aa433ad4698bdc3f88776cdd6a627dd7903e532029302bc2d7");
  }

  @Test
  void anEmergencyAccessMarkIsPartOfTheLink() {
    AuditRecord read = new AuditRecord(UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
        UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-000000000002"), 100_043L,
        Instant.parse("2024-07-01T12:35:00Z"), UUID.fromString("11111111-2222-4333-8444-555555555555"),
        List.of("nurse"), "patient.read", "patient", PATIENT, List.of(PATIENT), "success", "req-2", "127.0.0.1", null,
        null);
    AuditRecord marked = new AuditRecord(read.tenantId(), read.id(), read.txid(), read.occurredAt(),
        read.actorUserId(), read.actorRoles(), read.action(), read.resourceType(), read.resourceId(), read.patientIds(),
        read.outcome(), read.requestId(), read.clientAddress(), null, "emergency_access");
    byte[] plain = AuditChain.link(AuditChain.GENESIS, read);
    assertThat(AuditChain.link(AuditChain.GENESIS, marked)).isNotEqualTo(plain);
    // A row without a purpose encodes exactly as before region V37: nothing is appended for it.
    assertThat(AuditChain.canonical(marked)).startsWith(AuditChain.canonical(read));
  }
}
