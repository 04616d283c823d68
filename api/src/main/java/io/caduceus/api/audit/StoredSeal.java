package io.caduceus.api.audit;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.util.UUID;

/**
 * A seal as stored: the events it lists in chain order with the link after each, the last event of its range
 * ({@code lastTxid}, {@code lastEventId}), and the links before and after it.
 */
record StoredSeal(long seq, long lastTxid, UUID lastEventId, UUID[] eventIds, byte[][] eventHashes, byte[] prevHash,
                  byte[] sealHash) {

  /** Maps a row of {@link AuditSql#SEAL_COLUMNS}. */
  static StoredSeal fromRow(Row row) {
    Buffer[] buffers = row.getArrayOfBuffers("event_hashes");
    byte[][] hashes = new byte[buffers.length][];
    for (int i = 0; i < buffers.length; i++) {
      hashes[i] = buffers[i] == null ? new byte[0] : buffers[i].getBytes();
    }
    return new StoredSeal(row.getLong("seq"), row.getLong("last_chain_txid"), row.getUUID("last_event_id"),
        row.getArrayOfUUIDs("event_ids"), hashes, row.getBuffer("prev_hash").getBytes(),
        row.getBuffer("seal_hash").getBytes());
  }

  /** The link before the {@code i}-th listed event, as the seal recorded it. */
  byte[] linkBefore(int i) {
    return i == 0 ? prevHash : eventHashes[i - 1];
  }
}
