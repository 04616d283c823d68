package io.caduceus.api.prescription;

import io.caduceus.routing.Keyset;

/** The SQL of a pharmacy's own interaction rules. Every statement runs under the tenant's row-level security. */
final class InteractionRuleSql {

  static final String COLUMNS = """
      id, ingredient_a, ingredient_b, severity, effect, management, source, created_by, created_at""";

  static final String INSERT = """
      INSERT INTO interaction_rule
        (tenant_id, id, ingredient_a, ingredient_b, severity, effect, management, source, created_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      RETURNING %s""".formatted(COLUMNS);

  static final String DELETE = "DELETE FROM interaction_rule WHERE id = $1 RETURNING " + COLUMNS;

  static final String INVOLVING = """
      SELECT %s
      FROM interaction_rule
      WHERE ingredient_a = ANY($1) OR ingredient_b = ANY($1)""".formatted(COLUMNS);

  static final String LIST = """
      SELECT %s
      FROM interaction_rule
      WHERE %s
      ORDER BY created_at, id
      LIMIT $3""".formatted(COLUMNS, Keyset.after("created_at", "id", 1, 2));

  private InteractionRuleSql() {
  }
}
