package io.caduceus.api.prescription;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The pharmacist's acknowledgements of a prescription's interaction hits, as stored in
 * {@code prescription.interaction_review}: per hit key, what the hit was, who acknowledged it, when, and their note.
 * A later acknowledgement of the same key replaces the earlier one; the audit trail keeps every review.
 */
record InteractionReview(JsonArray acknowledgements) {

  /** The review stored on a prescription, or an empty one. */
  static InteractionReview of(Prescription p) {
    JsonObject stored = p.interactionReview();
    return new InteractionReview(stored == null ? new JsonArray()
        : stored.getJsonArray("acknowledgements", new JsonArray()).copy());
  }

  /** Whether the hit with this key has been acknowledged. */
  boolean acknowledged(String key) {
    return acknowledgements.stream().anyMatch(a -> key.equals(((JsonObject) a).getString("key")));
  }

  /** This review with {@code hits} acknowledged by {@code by} at {@code at}. */
  InteractionReview with(List<InteractionHit> hits, UUID by, Instant at, String note) {
    JsonArray next = new JsonArray();
    acknowledgements.forEach(a -> {
      String key = ((JsonObject) a).getString("key");
      if (hits.stream().noneMatch(h -> h.key().equals(key))) {
        next.add(a);
      }
    });
    hits.forEach(h -> next.add(new JsonObject().put("key", h.key()).put("pair", h.pair())
        .put("severity", h.interaction().severity()).put("otherPrescriptionId", h.other().id().toString())
        .put("acknowledgedBy", by.toString()).put("acknowledgedAt", at.toString()).put("note", note)));
    return new InteractionReview(next);
  }

  /** The stored (and shown) form. */
  JsonObject toJson() {
    return new JsonObject().put("acknowledgements", acknowledgements);
  }
}
