package io.caduceus.api.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The hash chain over a tenant's audit rows: link(i) = SHA-256(link(i-1) || canonical(row i)), starting from 32
 * zero bytes. The canonical form length-prefixes every stored field, so no two different rows encode alike. A
 * repair is a link too: SHA-256(the last good link || canonical(repair record)).
 */
public final class AuditChain {

  /** The link before a tenant's first event. */
  public static final byte[] GENESIS = new byte[32];

  private AuditChain() {
  }

  /** The link after {@code record}, chained from {@code previous}. */
  public static byte[] link(byte[] previous, AuditRecord record) {
    return sha256(previous, canonical(record));
  }

  /** The link a repair adds after its anchor (the last good link). */
  public static byte[] repairLink(AuditRepair repair) {
    return sha256(repair.anchorHash(), canonical(repair));
  }

  private static byte[] sha256(byte[] previous, byte[] canonical) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(previous);
      sha.update(canonical);
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] canonical(AuditRecord r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    field(out, r.tenantId());
    field(out, r.id());
    // The decimal text of the xid8, as PostgreSQL writes it: the bytes every existing seal was computed over.
    field(out, Long.toString(r.txid()));
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
    // Only a row that has a purpose encodes it, so every row written before region V37 links as it always did.
    if (r.purpose() != null) {
      field(out, r.purpose());
    }
    return out.toByteArray();
  }

  static byte[] canonical(AuditRepair r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    // A leading tag no event's tenant id can equal keeps a repair from ever encoding like an event.
    field(out, "audit-repair");
    field(out, r.tenantId());
    field(out, r.id());
    field(out, Long.toString(r.seq()));
    field(out, Long.toString(r.firstSeal()));
    field(out, Long.toString(r.lastSeal()));
    field(out, r.anchorTxid() == null ? null : Long.toString(r.anchorTxid()));
    field(out, r.anchorEventId());
    field(out, HexFormat.of().formatHex(r.supersededDigest()));
    field(out, r.reason());
    field(out, r.repairedBy());
    field(out, String.valueOf(ChronoUnit.MICROS.between(Instant.EPOCH, r.repairedAt())));
    field(out, r.requestId());
    field(out, Integer.toString(r.breaks().size()));
    for (ChainBreak b : r.breaks()) {
      field(out, b.kind().wire());
      field(out, Long.toString(b.fromSeal()));
      field(out, Long.toString(b.toSeal()));
      field(out, b.eventId());
      field(out, Long.toString(b.events()));
    }
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
