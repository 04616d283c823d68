package io.caduceus.api.billing;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** A coverage or claim as the caller may see it: its contract JSON, and what the reply and audit need. */
public record BillingView(UUID id, UUID patientId, int version, JsonObject json) {
}
