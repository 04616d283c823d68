package io.caduceus.api.prescription;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One of a pharmacy's own interaction rules, extending the shipped knowledge base for that tenant only. The pair is
 * stored with the lower code first; {@code source} is the citation the pharmacy restated it from.
 */
public record InteractionRule(UUID id, String ingredientA, String ingredientB, String severity, String effect,
                              String management, String source, UUID createdBy, Instant createdAt) {

  /** Maps a row of {@link InteractionRuleSql#COLUMNS}. */
  static InteractionRule fromRow(Row row) {
    return new InteractionRule(row.getUUID("id"), row.getString("ingredient_a"), row.getString("ingredient_b"),
        row.getString("severity"), row.getString("effect"), row.getString("management"), row.getString("source"),
        row.getUUID("created_by"), row.getOffsetDateTime("created_at").toInstant());
  }

  /** The rule as the interaction check applies it, citing the pharmacy's source. */
  Interaction interaction() {
    return new Interaction(ingredientA, ingredientB, severity, effect, management,
        List.of(new Interaction.Citation("rule:" + id, source, null)), id);
  }

  /** The contract's {@code InteractionRule}. */
  JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("ingredientA", ingredientA).put("ingredientB", ingredientB)
        .put("severity", severity).put("effect", effect).put("management", management).put("source", source)
        .put("createdBy", createdBy.toString()).put("createdAt", createdAt.toString());
  }
}
