package io.caduceus.api.audit;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/**
 * A recorded repair of a tenant's chain: seals {@code firstSeal..lastSeal} are superseded (kept, pinned by
 * {@code supersededDigest}), and the chain goes on from the anchor (the last good link and the last event it
 * covered) through this record, whose own link is {@code repairHash}.
 */
public record AuditRepair(
    UUID tenantId,
    long seq,
    UUID id,
    long firstSeal,
    long lastSeal,
    Long anchorTxid,
    UUID anchorEventId,
    byte[] anchorHash,
    byte[] supersededDigest,
    List<ChainBreak> breaks,
    String reason,
    UUID repairedBy,
    Instant repairedAt,
    String requestId,
    byte[] repairHash) {

  /** A new repair re-sealing from {@code anchor}, its link computed. */
  static AuditRepair of(UUID tenantId, long seq, UUID id, long firstSeal, long lastSeal, ChainPoint anchor,
                        byte[] supersededDigest, List<ChainBreak> breaks, String reason, UUID repairedBy,
                        Instant repairedAt, String requestId) {
    AuditRepair unlinked = new AuditRepair(tenantId, seq, id, firstSeal, lastSeal, anchor.txid(), anchor.eventId(),
        anchor.link(), supersededDigest, List.copyOf(breaks), reason, repairedBy, repairedAt, requestId, null);
    return new AuditRepair(tenantId, seq, id, firstSeal, lastSeal, anchor.txid(), anchor.eventId(), anchor.link(),
        supersededDigest, unlinked.breaks, reason, repairedBy, repairedAt, requestId, AuditChain.repairLink(unlinked));
  }

  /** Maps a row of {@link AuditSql#REPAIR_COLUMNS}. */
  static AuditRepair fromRow(Row row) {
    List<ChainBreak> breaks = new ArrayList<>();
    row.getJsonArray("breaks").forEach(b -> breaks.add(ChainBreak.fromJson((JsonObject) b)));
    return new AuditRepair(row.getUUID("tenant_id"), row.getLong("seq"), row.getUUID("id"), row.getLong("first_seal"),
        row.getLong("last_seal"), row.getLong("anchor_chain_txid"), row.getUUID("anchor_event_id"),
        row.getBuffer("anchor_hash").getBytes(), row.getBuffer("superseded_digest").getBytes(), List.copyOf(breaks),
        row.getString("reason"), row.getUUID("repaired_by"), row.getOffsetDateTime("repaired_at").toInstant(),
        row.getString("request_id"), row.getBuffer("repair_hash").getBytes());
  }

  /** The values of {@link AuditSql#INSERT_REPAIR}. */
  Tuple toTuple() {
    return Tuple.from(new Object[] {tenantId, seq, id, firstSeal, lastSeal, anchorTxid, anchorEventId,
        Buffer.buffer(anchorHash), Buffer.buffer(supersededDigest), breaksJson(), reason, repairedBy,
        utc(repairedAt), requestId, Buffer.buffer(repairHash)});
  }

  /** Whether this repair goes on from where the chain stands at {@code point}. */
  boolean anchoredAt(ChainPoint point) {
    return Arrays.equals(anchorHash, point.link()) && Objects.equals(anchorTxid, point.txid())
        && Objects.equals(anchorEventId, point.eventId());
  }

  /** Whether seal {@code seq} is one this repair superseded. */
  boolean supersedes(long sealSeq) {
    return sealSeq >= firstSeal && sealSeq <= lastSeal;
  }

  /** The contract's {@code AuditRepair}. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("repairedAt", repairedAt.toString())
        .put("repairedBy", repairedBy.toString())
        .put("reason", reason)
        .put("requestId", requestId)
        .put("supersededSeals", new JsonObject().put("fromSeal", firstSeal).put("toSeal", lastSeal))
        .put("breaks", breaksJson());
  }

  private JsonArray breaksJson() {
    JsonArray json = new JsonArray();
    breaks.forEach(b -> json.add(b.toJson()));
    return json;
  }
}
