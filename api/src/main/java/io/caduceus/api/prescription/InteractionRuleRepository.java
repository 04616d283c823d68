package io.caduceus.api.prescription;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** A pharmacy's own interaction rules in its regional database; it runs on the connection it is given. */
final class InteractionRuleRepository {

  /** Stores a rule (its pair already in canonical order) and returns it as stored. */
  Future<InteractionRule> insert(SqlConnection conn, TenantContext ctx, InteractionRule r) {
    return conn.preparedQuery(InteractionRuleSql.INSERT).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
            UuidV7.next(), r.ingredientA(), r.ingredientB(), r.severity(), r.effect(), r.management(), r.source(),
            ctx.userId()}))
        .map(rows -> InteractionRule.fromRow(rows.iterator().next()));
  }

  /** Deletes a rule and returns what it was. */
  Future<InteractionRule> delete(SqlConnection conn, UUID id) {
    return conn.preparedQuery(InteractionRuleSql.DELETE).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, InteractionRule::fromRow)
            .orElseThrow(() -> new NotFound("no such interaction rule")));
  }

  /** The rules that involve any of the ingredients. */
  Future<List<InteractionRule>> involving(SqlConnection conn, List<String> ingredients) {
    return conn.preparedQuery(InteractionRuleSql.INVOLVING).execute(Tuple.of(ingredients.toArray(String[]::new)))
        .map(rows -> Rows.list(rows, InteractionRule::fromRow));
  }

  /** Rules oldest first, after the given position. */
  Future<List<InteractionRule>> list(SqlConnection conn, Instant afterCreated, UUID afterId, int limit) {
    return conn.preparedQuery(InteractionRuleSql.LIST).execute(Tuple.of(utc(afterCreated), afterId, limit))
        .map(rows -> Rows.list(rows, InteractionRule::fromRow));
  }
}
