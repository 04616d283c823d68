package io.caduceus.api.prescription;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/** The outcome of one interaction check: what was compared, the hits, and which are still unacknowledged. */
public record InteractionFindings(Prescription prescription, int activeConsidered, List<InteractionHit> hits,
                                  InteractionKnowledgeBase kb) {

  /** The hits the pharmacist has not acknowledged yet. */
  public List<InteractionHit> unacknowledged() {
    InteractionReview review = InteractionReview.of(prescription);
    return hits.stream().filter(h -> !review.acknowledged(h.key())).toList();
  }

  /** The contract's {@code InteractionCheck}. */
  JsonObject toJson(Instant checkedAt) {
    InteractionReview review = InteractionReview.of(prescription);
    JsonArray items = new JsonArray();
    hits.forEach(h -> items.add(h.toJson(review.acknowledged(h.key()))));
    return new JsonObject()
        .put("prescriptionId", prescription.id().toString())
        .put("checkedAt", checkedAt.toString())
        .put("knowledgeBase", new JsonObject().put("name", kb.name()).put("version", kb.version()))
        .put("activePrescriptionsChecked", activeConsidered)
        .put("hits", items)
        .put("unacknowledged", unacknowledged().size());
  }
}
