package io.caduceus.api.audit;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * A SHA-256 over seals exactly as stored (every column, length-prefixed), added in sequence: a repair keeps the
 * digest of the seals it superseded, so verify can tell they are still there, unchanged.
 */
final class SealDigest {

  private final MessageDigest sha;

  SealDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Adds the next seal. */
  void add(StoredSeal seal) {
    sha.update(ByteBuffer.allocate(16).putLong(seal.seq()).putLong(seal.lastTxid()).array());
    uuid(seal.lastEventId());
    sha.update(ByteBuffer.allocate(4).putInt(seal.eventIds().length).array());
    for (UUID id : seal.eventIds()) {
      uuid(id);
    }
    sha.update(ByteBuffer.allocate(4).putInt(seal.eventHashes().length).array());
    for (byte[] hash : seal.eventHashes()) {
      bytes(hash);
    }
    bytes(seal.prevHash());
    bytes(seal.sealHash());
  }

  /** The digest of every seal added. */
  byte[] value() {
    return sha.digest();
  }

  private void uuid(UUID id) {
    sha.update(ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
        .array());
  }

  private void bytes(byte[] value) {
    sha.update(ByteBuffer.allocate(4).putInt(value.length).array());
    sha.update(value);
  }
}
