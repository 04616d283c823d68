package io.caduceus.api.audit;

import java.util.UUID;

/**
 * Where a tenant's chain stands after a seal (or a repair): that seal's number, the link the next seal chains
 * from, and the last event covered so far ({@code txid} and {@code eventId} are null before the first event).
 */
record ChainPoint(long seq, byte[] link, Long txid, UUID eventId) {

  /** Before the tenant's first seal. */
  static final ChainPoint GENESIS = new ChainPoint(0, AuditChain.GENESIS, null, null);
}
