package io.caduceus.api.exchange;

import io.caduceus.routing.TenantId;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * One tenant's copy of an item exchanged over a partner link (a lab order, a prescription, a claim): {@code outgoing}
 * at the tenant that sent it, {@code incoming} at the one that serves it, each naming the other tenant.
 */
public interface ExchangedCopy {

  /** The copy's id in this tenant. */
  UUID id();

  /** {@code outgoing} or {@code incoming}. */
  String direction();

  /** The tenant that holds the other copy. */
  TenantId counterpartTenant();

  /** The patient the item is about. */
  UUID patientId();

  /** The encounter the item came from, if any. */
  UUID encounterId();

  /** Whether this is the copy of the tenant that sent the item. */
  default boolean outgoing() {
    return "outgoing".equals(direction());
  }

  /** The fields the contract shows first for a copy in {@code status}: its id, side, patient, encounter and partner. */
  default JsonObject json(String status) {
    return new JsonObject()
        .put("id", id().toString())
        .put("direction", direction())
        .put("status", status)
        .put("patientId", patientId().toString())
        .put("encounterId", encounterId() == null ? null : encounterId().toString())
        .put("partnerTenantId", counterpartTenant().toString());
  }
}
