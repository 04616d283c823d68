package io.caduceus.api.identity;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantId;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tenant's mapping from its identity provider's claims and groups to Caduceus roles, in the control plane. Single
 * sign-on applies it to an ID token's claims; SCIM applies it to a user's groups (the claim {@value #GROUPS}). A person
 * holds exactly the roles some rule names for them: a claim or group no rule names grants nothing.
 */
public final class RoleMapping {

  /** The claim SCIM groups count as, and the default claim of a rule. */
  public static final String GROUPS = "groups";

  /** Whoever carries {@code value} in {@code claim} holds {@code role} (a staff role's wire name). */
  public record Rule(String claim, String value, String role) {
  }

  private static final String LIST = """
      SELECT claim, value, role FROM tenant_role_mapping WHERE tenant_id = $1 ORDER BY claim, value, role""";
  private static final String CLEAR = "DELETE FROM tenant_role_mapping WHERE tenant_id = $1";
  private static final String ADD = """
      INSERT INTO tenant_role_mapping (tenant_id, claim, value, role) VALUES ($1, $2, $3, $4)""";

  /** The tenant's rules, in order. */
  public Future<List<Rule>> rules(SqlClient client, TenantId tenant) {
    return client.preparedQuery(LIST).execute(Tuple.of(tenant.value()))
        .map(rows -> Rows.list(rows, row -> new Rule(row.getString("claim"), row.getString("value"),
            row.getString("role"))));
  }

  /** Replaces the tenant's rules; run it in a transaction. The caller has checked each role is a staff role. */
  public Future<Void> replace(SqlClient client, TenantId tenant, Collection<Rule> rules) {
    return client.preparedQuery(CLEAR).execute(Tuple.of(tenant.value()))
        .compose(cleared -> rules.isEmpty() ? Future.succeededFuture() : client.preparedQuery(ADD)
            .executeBatch(rules.stream().map(r -> Tuple.of(tenant.value(), r.claim(), r.value(), r.role())).toList()))
        .mapEmpty();
  }

  /**
   * The roles {@code rules} grant to a person with these claims: a claim's value may be a string or an array of
   * strings (as IdPs send groups). Sorted, so the same claims always give the same list.
   */
  public static List<String> roles(List<Rule> rules, JsonObject claims) {
    Set<String> granted = new TreeSet<>();
    for (Rule rule : rules) {
      if (carries(claims.getValue(rule.claim()), rule.value())) {
        granted.add(rule.role());
      }
    }
    return List.copyOf(granted);
  }

  /** The roles {@code rules} grant to a member of these groups (SCIM). */
  public static List<String> rolesOfGroups(List<Rule> rules, Collection<String> groups) {
    return roles(rules, new JsonObject().put(GROUPS, new JsonArray(List.copyOf(groups))));
  }

  private static boolean carries(Object claim, String value) {
    if (claim instanceof JsonArray values) {
      return values.stream().anyMatch(v -> value.equals(String.valueOf(v)));
    }
    return claim != null && value.equals(String.valueOf(claim));
  }
}
