package io.caduceus.api.prescription;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What is prescribed: an RxNorm code (normally a clinical drug), its display, and the ingredients (RxNorm
 * ingredient rxcuis) the interaction check compares. A code the knowledge base knows takes its ingredients from
 * there; any other code must come with its ingredients, or the check would silently find nothing.
 */
public record Medication(String rxnorm, String display, List<String> ingredients) {

  /** Reads the {@code medication} of a new prescription, resolving its ingredients through the knowledge base. */
  static Medication from(JsonObject json, InteractionKnowledgeBase kb) {
    String rxnorm = json.getString("rxnorm");
    Optional<List<String>> known = kb.ingredientsOf(rxnorm);
    List<String> given = given(json.getJsonArray("ingredients"));
    if (known.isPresent()) {
      if (given != null && !Set.copyOf(given).equals(Set.copyOf(known.get()))) {
        throw new Invalid("/medication/ingredients", "the knowledge base lists other ingredients for this RxNorm"
            + " code; leave ingredients out");
      }
      return new Medication(rxnorm, json.getString("display"), known.get());
    }
    if (given == null || given.isEmpty()) {
      throw new Invalid("/medication/ingredients", "required: the RxNorm code is not in the interaction knowledge"
          + " base, so its ingredients must be given");
    }
    return new Medication(rxnorm, json.getString("display"), given);
  }

  private static List<String> given(JsonArray array) {
    if (array == null) {
      return null;
    }
    Set<String> distinct = new LinkedHashSet<>();
    array.forEach(v -> distinct.add((String) v));
    return List.copyOf(distinct);
  }

  /** The contract's {@code Medication}. */
  JsonObject toJson() {
    return new JsonObject().put("rxnorm", rxnorm).put("display", display)
        .put("ingredients", new JsonArray(List.copyOf(ingredients)));
  }

  /** Reads a medication as it travels between tenants. */
  static Medication fromJson(JsonObject json) {
    return new Medication(json.getString("rxnorm"), json.getString("display"),
        given(json.getJsonArray("ingredients")));
  }
}
