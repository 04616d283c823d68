package io.caduceus.api.prescription;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A known interaction between two ingredients (RxNorm rxcuis): from the shipped knowledge base, or one of the
 * pharmacy's own rules ({@code ruleId} set). Every interaction cites where it comes from.
 */
public record Interaction(String ingredientA, String ingredientB, String severity, String effect, String management,
                          List<Citation> sources, UUID ruleId) {

  /** The severities, most serious first. */
  public static final List<String> SEVERITIES = List.of("contraindicated", "major", "moderate");

  private static final Map<String, Integer> RANK = Map.of("contraindicated", 0, "major", 1, "moderate", 2);

  /** A source an interaction is restated from; a pharmacy rule's source is its free-text citation. */
  public record Citation(String id, String citation, String url) {

    /** The contract's {@code InteractionSource}. */
    JsonObject toJson() {
      return new JsonObject().put("id", id).put("citation", citation).put("url", url);
    }
  }

  /** Whether this interaction is about exactly the two ingredients, in either order. */
  public boolean between(String x, String y) {
    return ingredientA.equals(x) && ingredientB.equals(y) || ingredientA.equals(y) && ingredientB.equals(x);
  }

  /** Where it comes from: {@code knowledge_base} or {@code pharmacy_rule}. */
  public String origin() {
    return ruleId == null ? "knowledge_base" : "pharmacy_rule";
  }

  /** Sorts the most serious first. */
  public int rank() {
    return RANK.getOrDefault(severity, RANK.size());
  }

  /** The citations as the contract shows them. */
  JsonArray sourcesJson() {
    JsonArray out = new JsonArray();
    sources.forEach(s -> out.add(s.toJson()));
    return out;
  }
}
