package io.caduceus.api.flags;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Reads and writes flags, rules, modules and the change log in the control plane. */
final class FeatureRepository {

  /** Every flag with its rules. */
  Future<Map<String, FlagDefinition>> flags(SqlClient client) {
    return client.query(FeatureSql.RULES).execute().compose(ruleRows -> {
      Map<String, List<FlagRule>> rules = new HashMap<>();
      ruleRows.forEach(r -> rules.computeIfAbsent(r.getString("flag_key"), k -> new ArrayList<>())
          .add(FlagRule.fromRow(r)));
      return client.query(FeatureSql.FLAGS).execute().map(rows -> {
        Map<String, FlagDefinition> flags = new HashMap<>();
        rows.forEach(r -> flags.put(r.getString("key"),
            definition(r, rules.getOrDefault(r.getString("key"), List.of()))));
        return flags;
      });
    });
  }

  /** One flag with its rules, if it exists. */
  Future<Optional<FlagDefinition>> flag(SqlClient client, String key, boolean forUpdate) {
    return client.preparedQuery(forUpdate ? FeatureSql.FLAG_FOR_UPDATE : FeatureSql.FLAG).execute(Tuple.of(key))
        .compose(rows -> {
          Optional<Row> row = Rows.optional(rows, r -> r);
          if (row.isEmpty()) {
            return Future.succeededFuture(Optional.empty());
          }
          return client.preparedQuery(FeatureSql.RULES_OF).execute(Tuple.of(key))
              .map(rules -> Optional.of(definition(row.get(), Rows.list(rules, FlagRule::fromRow))));
        });
  }

  /** Creates a flag; false if the key is taken. */
  Future<Boolean> insert(SqlClient client, FlagDefinition f) {
    return client.preparedQuery(FeatureSql.INSERT_FLAG).execute(Tuple.from(Arrays.asList(f.key(), f.kind(), f.variants(),
            f.defaultVariant(), f.owner(), f.description(), f.expiresOn(), f.tenantEditable())))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Replaces a flag's description, variants, default, owner, expiry and whether tenants may edit it. */
  Future<Void> update(SqlClient client, FlagDefinition f) {
    return client.preparedQuery(FeatureSql.UPDATE_FLAG).execute(Tuple.from(Arrays.asList(f.key(), f.variants(),
        f.defaultVariant(), f.owner(), f.description(), f.expiresOn(), f.tenantEditable()))).mapEmpty();
  }

  /** Sets (a variant) or lifts (null) the kill switch. */
  Future<Void> kill(SqlClient client, String key, String variant) {
    return client.preparedQuery(FeatureSql.SET_KILL).execute(Tuple.of(key, variant)).mapEmpty();
  }

  /** Records whether the flag now serves one variant to everyone. */
  Future<Void> uniform(SqlClient client, String key, boolean uniform) {
    return client.preparedQuery(FeatureSql.SET_UNIFORM).execute(Tuple.of(key, uniform)).mapEmpty();
  }

  /** Deletes a flag and its rules. */
  Future<Void> delete(SqlClient client, String key) {
    return client.preparedQuery(FeatureSql.DELETE_FLAG).execute(Tuple.of(key)).mapEmpty();
  }

  /** Adds a rule, replacing the one of the same scope, value, tenant and role. */
  Future<Void> putRule(SqlClient client, String flagKey, FlagRule r) {
    return client.preparedQuery(FeatureSql.DELETE_SAME_RULE)
        .execute(Tuple.of(flagKey, r.scope().wire(), r.scopeValue(), r.tenantId(), r.role()))
        .compose(v -> client.preparedQuery(FeatureSql.INSERT_RULE).execute(Tuple.from(Arrays.asList(r.id(), flagKey,
            r.scope().wire(), r.scopeValue(), r.tenantId(),
            r.role(), r.variant(), r.percentage()))))
        .mapEmpty();
  }

  /** Deletes one rule; false if the flag has no such rule. */
  Future<Boolean> deleteRule(SqlClient client, String flagKey, UUID ruleId) {
    return client.preparedQuery(FeatureSql.DELETE_RULE).execute(Tuple.of(flagKey, ruleId))
        .map(rows -> rows.rowCount() == 1);
  }

  /** Deletes a tenant's own rules (tenant and user scope) of a flag. */
  Future<Void> deleteTenantRules(SqlClient client, String flagKey, UUID tenant) {
    return client.preparedQuery(FeatureSql.DELETE_TENANT_RULES).execute(Tuple.of(flagKey, tenant)).mapEmpty();
  }

  /** Every tenant's modules that differ from all-on. */
  Future<Map<UUID, TenantModules>> modules(SqlClient client) {
    return client.query(FeatureSql.MODULES).execute().map(rows -> {
      Map<UUID, List<Row>> byTenant = new HashMap<>();
      rows.forEach(r -> byTenant.computeIfAbsent(r.getUUID("tenant_id"), t -> new ArrayList<>()).add(r));
      Map<UUID, TenantModules> modules = new HashMap<>();
      byTenant.forEach((tenant, list) -> modules.put(tenant, tenantModules(list)));
      return modules;
    });
  }

  /** One tenant's modules. */
  Future<TenantModules> modules(SqlClient client, UUID tenant) {
    return client.preparedQuery(FeatureSql.MODULES_OF).execute(Tuple.of(tenant))
        .map(rows -> tenantModules(Rows.list(rows, r -> r)));
  }

  /** Sets whether a tenant's plan allows a module. */
  Future<Void> allow(SqlClient client, UUID tenant, ProductModule module, boolean allowed) {
    return client.preparedQuery(FeatureSql.SET_ALLOWED).execute(Tuple.of(tenant, module.wire(), allowed)).mapEmpty();
  }

  /** Switches a tenant's module on or off. */
  Future<Void> enable(SqlClient client, UUID tenant, ProductModule module, boolean enabled) {
    return client.preparedQuery(FeatureSql.SET_ENABLED).execute(Tuple.of(tenant, module.wire(), enabled)).mapEmpty();
  }

  /** Appends one change to the log. */
  Future<Void> logChange(SqlClient client, String subject, String action, UUID actorUser, UUID actorTenant,
                         JsonObject before, JsonObject after) {
    return client.preparedQuery(FeatureSql.INSERT_CHANGE).execute(Tuple.from(Arrays.asList(UuidV7.next(), subject, action,
        actorUser, actorTenant, before,
        after))).mapEmpty();
  }

  /** The latest changes of a subject, newest first. */
  Future<List<JsonObject>> changes(SqlClient client, String subject) {
    return client.preparedQuery(FeatureSql.CHANGES).execute(Tuple.of(subject)).map(rows -> Rows.list(rows, r -> {
      JsonObject json = new JsonObject().put("id", r.getUUID("id").toString()).put("action", r.getString("action"))
          .put("actorUserId", r.getUUID("actor_user").toString())
          .put("at", r.getOffsetDateTime("at").toInstant().toString());
      Optional.ofNullable((JsonObject) r.getJson("before")).ifPresent(b -> json.put("before", b));
      Optional.ofNullable((JsonObject) r.getJson("after")).ifPresent(a -> json.put("after", a));
      return json;
    }));
  }

  /** Tells every node (this one included) once the transaction commits. */
  Future<Void> notify(SqlClient client, String channel, String payload) {
    return client.preparedQuery(FeatureSql.NOTIFY).execute(Tuple.of(channel, payload)).mapEmpty();
  }

  private static TenantModules tenantModules(List<Row> rows) {
    Set<ProductModule> disallowed = EnumSet.noneOf(ProductModule.class);
    Set<ProductModule> disabled = EnumSet.noneOf(ProductModule.class);
    for (Row r : rows) {
      ProductModule.fromWire(r.getString("module")).ifPresent(m -> {
        if (!r.getBoolean("allowed")) {
          disallowed.add(m);
        }
        if (!r.getBoolean("enabled")) {
          disabled.add(m);
        }
      });
    }
    return new TenantModules(disallowed, disabled);
  }

  private static FlagDefinition definition(Row r, List<FlagRule> rules) {
    return new FlagDefinition(r.getString("key"), r.getString("kind"), (JsonObject) r.getJson("variants"),
        r.getString("default_variant"), r.getString("owner"), r.getString("description"),
        r.getLocalDate("expires_on"), r.getBoolean("tenant_editable"), r.getString("kill_variant"),
        instant(r, "killed_at"), instant(r, "uniform_since"), instant(r, "created_at"), r.getInteger("version"),
        rules);
  }

  private static java.time.Instant instant(Row r, String column) {
    var t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
