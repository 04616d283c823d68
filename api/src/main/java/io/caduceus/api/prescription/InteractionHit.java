package io.caduceus.api.prescription;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One interaction found for a prescription: an ingredient of it and an ingredient of another active prescription of
 * the patient, the interaction that joins them, and a key that stays the same while both prescriptions and the
 * interaction do (so an acknowledgement given for it keeps holding). The key names codes and ids only.
 */
public record InteractionHit(String key, Interaction interaction, String ingredient, String ingredientName,
                             String otherIngredient, String otherIngredientName, Prescription other) {

  /** The hit of {@code interaction} between {@code ingredient} of the checked prescription and {@code other}. */
  static InteractionHit of(Interaction interaction, String ingredient, String otherIngredient, Prescription other,
                           InteractionKnowledgeBase kb) {
    String what = interaction.ruleId() == null
        ? "kb:" + InteractionKnowledgeBase.pairKey(ingredient, otherIngredient)
        : "rule:" + interaction.ruleId();
    return new InteractionHit(what + ":" + other.id(), interaction, ingredient, kb.ingredientName(ingredient),
        otherIngredient, kb.ingredientName(otherIngredient), other);
  }

  /** The pair by ingredient names, for example {@code warfarin + aspirin}. */
  public String pair() {
    return ingredientName + " + " + otherIngredientName;
  }

  /** The contract's {@code InteractionHit}. */
  JsonObject toJson(boolean acknowledged) {
    return new JsonObject()
        .put("key", key)
        .put("pair", pair())
        .put("ingredients", new JsonArray()
            .add(new JsonObject().put("rxcui", ingredient).put("name", ingredientName))
            .add(new JsonObject().put("rxcui", otherIngredient).put("name", otherIngredientName)))
        .put("severity", interaction.severity())
        .put("effect", interaction.effect())
        .put("management", interaction.management())
        .put("origin", interaction.origin())
        .put("ruleId", interaction.ruleId() == null ? null : interaction.ruleId().toString())
        .put("sources", interaction.sourcesJson())
        .put("otherPrescription", new JsonObject().put("id", other.id().toString())
            .put("rxnorm", other.medication().rxnorm()).put("display", other.medication().display())
            .put("status", other.status().wire()))
        .put("acknowledged", acknowledged);
  }
}
