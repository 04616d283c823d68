package io.caduceus.api.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The hash chain over a tenant's audit rows: link(i) = SHA-256(link(i-1) || canonical(row i)), starting from 32
 * zero bytes. The canonical form length-prefixes every stored field, so no two different rows encode alike.
 */
public final class AuditChain {

  /** The link before a tenant's first event. */
  public static final byte[] GENESIS = new byte[32];

  private AuditChain() {
  }

  /** The link after {@code record}, chained from {@code previous}. */
  public static byte[] link(byte[] previous, AuditRecord record) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previous);
      sha.update(canonical(record));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] canonical(AuditRecord r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    field(out, r.tenantId());
    field(out, r.id());
    field(out, r.txid());
    field(out, String.valueOf(ChronoUnit.MICROS.between(Instant.EPOCH, r.occurredAt())));
    field(out, r.actorUserId());
    field(out, String.join(",", r.actorRoles()));
    field(out, r.action());
    field(out, r.resourceType());
    field(out, r.resourceId());
    StringBuilder patients = new StringBuilder();
    r.patientIds().forEach(p -> patients.append(p).append(','));
    field(out, patients.toString());
    field(out, r.outcome());
    field(out, r.requestId());
    field(out, r.clientAddress());
    field(out, r.partnerTenantId());
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, UUID value) {
    field(out, value == null ? null : value.toString());
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value == null) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }
}
