package io.caduceus.api.audit;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** The verdict of recomputing a tenant's chain. */
public record AuditVerification(boolean intact, long sealedEvents, long seals, long unsealedEvents, Long brokenSeal,
                                UUID brokenEvent, String reason) {

  /** An intact chain. */
  static AuditVerification intact(long sealedEvents, long seals, long unsealed) {
    return new AuditVerification(true, sealedEvents, seals, unsealed, null, null, null);
  }

  /** A chain broken at a seal (and, when known, an event). */
  static AuditVerification broken(long sealedEvents, long seals, long seal, UUID event, String reason) {
    return new AuditVerification(false, sealedEvents, seals, 0, seal, event, reason);
  }

  /** The contract's {@code AuditVerification}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("intact", intact)
        .put("sealedEvents", sealedEvents)
        .put("seals", seals)
        .put("unsealedEvents", unsealedEvents);
    if (!intact) {
      json.put("firstBrokenLink", new JsonObject()
          .put("seal", brokenSeal)
          .put("eventId", brokenEvent == null ? null : brokenEvent.toString())
          .put("reason", reason));
    }
    return json;
  }
}
