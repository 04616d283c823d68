package io.caduceus.api.flags;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Flags, their rules and kill switches. The platform owner edits every flag at every scope; a tenant admin edits
 * only the tenant- and user-level rules of its own tenant, and only of flags marked editable by tenants. Every
 * change commits with its entry in the change log and a notice to every node ({@link FeatureState#FLAGS_CHANNEL});
 * this node re-reads the flag before answering, so its caller sees its change at once.
 */
public final class FlagService {

  private final ControlPlane controlPlane;
  private final FeatureState state;
  private final StaleFlags stale;
  private final FeatureRepository repository = new FeatureRepository();

  public FlagService(ControlPlane controlPlane, FeatureState state, StaleFlags stale) {
    this.controlPlane = controlPlane;
    this.state = state;
    this.stale = stale;
  }

  /** Every flag with its rules. */
  public Future<List<FlagDefinition>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> repository.flags(controlPlane.pool()))
        .map(flags -> flags.values().stream().sorted(java.util.Comparator.comparing(FlagDefinition::key)).toList());
  }

  /** One flag with its rules. */
  public Future<FlagDefinition> get(TenantContext ctx, String key) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> repository.flag(controlPlane.pool(), key, false))
        .map(found -> found.orElseThrow(() -> new NotFound("no such flag")));
  }

  /** Creates a flag; 409 if its key is taken. */
  public Future<FlagDefinition> create(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .map(v -> FlagInput.definition(body))
        .compose(flag -> controlPlane.inTransaction(conn -> repository.insert(conn, flag).compose(created -> {
          if (!created) {
            return Future.failedFuture(new Conflict("a flag with this key exists"));
          }
          return settle(conn, ctx, flag.key(), "flag.create", null);
        })))
        .compose(this::reread);
  }

  /** Replaces a flag's description, owner, expiry, variants, default and tenant-editability. */
  public Future<FlagDefinition> update(TenantContext ctx, String key, JsonObject body) {
    return platformChange(ctx, key, "flag.update", (conn, before) -> {
      FlagDefinition next = FlagInput.updated(before, body);
      return repository.update(conn, next);
    });
  }

  /** Retires a flag: it and its rules are deleted (evaluations then answer the caller's default). */
  public Future<Void> delete(TenantContext ctx, String key) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> controlPlane.inTransaction(conn -> repository.flag(conn, key, true).compose(found -> {
          FlagDefinition before = found.orElseThrow(() -> new NotFound("no such flag"));
          return repository.delete(conn, key)
              .compose(d -> repository.logChange(conn, subject(key), "flag.delete", ctx.userId(),
                  ctx.tenantId().value(), before.json(), null))
              .compose(d -> repository.notify(conn, FeatureState.FLAGS_CHANNEL, key));
        })))
        .compose(v -> state.reloadFlag(key));
  }

  /** Adds a rule at any scope, replacing the one of the same scope, value, tenant and role. */
  public Future<FlagDefinition> putRule(TenantContext ctx, String key, JsonObject body) {
    return platformChange(ctx, key, "flag.rule.put", (conn, before) -> {
      FlagRule rule = FlagInput.rule(body, "");
      FlagInput.requireVariant(before, rule.variant(), "/variant");
      return repository.putRule(conn, key, rule);
    });
  }

  /** Deletes one rule. */
  public Future<FlagDefinition> deleteRule(TenantContext ctx, String key, UUID ruleId) {
    return platformChange(ctx, key, "flag.rule.delete", (conn, before) -> repository.deleteRule(conn, key, ruleId)
        .compose(deleted -> deleted ? Future.<Void>succeededFuture() : Future.failedFuture(new NotFound("no such rule"))));
  }

  /** Turns the kill switch on: everyone gets {@code variant}, whatever the rules say. */
  public Future<FlagDefinition> kill(TenantContext ctx, String key, JsonObject body) {
    return platformChange(ctx, key, "flag.kill", (conn, before) -> {
      String variant = body.getString("variant");
      FlagInput.requireVariant(before, variant, "/variant");
      return repository.kill(conn, key, variant);
    });
  }

  /** Turns the kill switch off: the rules decide again. */
  public Future<FlagDefinition> revive(TenantContext ctx, String key) {
    return platformChange(ctx, key, "flag.revive", (conn, before) -> repository.kill(conn, key, null));
  }

  /** The latest changes of a flag, newest first. */
  public Future<JsonObject> changes(TenantContext ctx, String key) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE)
        .compose(v -> repository.changes(controlPlane.pool(), subject(key)))
        .map(list -> new JsonObject().put("items", new JsonArray(list)));
  }

  /** The stale flags report. */
  public Future<JsonObject> staleReport(TenantContext ctx) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE).map(v -> stale.report());
  }

  /** A tenant-editable flag with the active tenant's own rules only. */
  public Future<JsonObject> tenantRules(TenantContext ctx, String key) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> repository.flag(controlPlane.pool(), key, false))
        .map(found -> tenantView(editable(found.orElse(null)), ctx.tenantId().value()));
  }

  /**
   * Replaces the active tenant's rules of a tenant-editable flag (tenant scope, and user scope for its users), for
   * example "telehealth for 10 % of our physicians".
   */
  public Future<JsonObject> replaceTenantRules(TenantContext ctx, String key, JsonObject body) {
    UUID tenant = ctx.tenantId().value();
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> change(ctx, key, "flag.tenant_rules.put", (conn, before) -> {
          editable(before);
          List<FlagRule> rules = FlagInput.tenantRules(body, tenant);
          for (int i = 0; i < rules.size(); i++) {
            FlagInput.requireVariant(before, rules.get(i).variant(), "/rules/" + i + "/variant");
          }
          Future<Void> done = repository.deleteTenantRules(conn, key, tenant);
          for (FlagRule rule : rules) {
            done = done.compose(x -> repository.putRule(conn, key, rule));
          }
          return done;
        }))
        .map(flag -> tenantView(flag, tenant));
  }

  private Future<FlagDefinition> platformChange(TenantContext ctx, String key, String action,
                                                BiFunction<SqlConnection, FlagDefinition, Future<Void>> work) {
    return Access.check(ctx, Permission.PLATFORM_TENANTS_MANAGE).compose(v -> change(ctx, key, action, work));
  }

  /** Locks the flag, applies the change, logs it with the flag before and after, notifies, and re-reads it. */
  private Future<FlagDefinition> change(TenantContext ctx, String key, String action,
                                        BiFunction<SqlConnection, FlagDefinition, Future<Void>> work) {
    return controlPlane.inTransaction(conn -> repository.flag(conn, key, true).compose(found -> {
      FlagDefinition before = found.orElseThrow(() -> new NotFound("no such flag"));
      return work.apply(conn, before).compose(v -> settle(conn, ctx, key, action, before));
    })).compose(this::reread);
  }

  private Future<String> settle(SqlConnection conn, TenantContext ctx, String key, String action,
                                FlagDefinition before) {
    return repository.flag(conn, key, false).map(found -> found.orElseThrow())
        .compose(after -> repository.uniform(conn, key, after.uniformVariant() != null)
            .compose(v -> repository.logChange(conn, subject(key), action, ctx.userId(), ctx.tenantId().value(),
                before == null ? null : before.json(), after.json())))
        .compose(v -> repository.notify(conn, FeatureState.FLAGS_CHANNEL, key))
        .map(key);
  }

  private Future<FlagDefinition> reread(String key) {
    return state.reloadFlag(key).compose(v -> repository.flag(controlPlane.pool(), key, false))
        .map(found -> found.orElseThrow(() -> new NotFound("no such flag")));
  }

  private static FlagDefinition editable(FlagDefinition flag) {
    if (flag == null) {
      throw new NotFound("no such flag");
    }
    if (!flag.tenantEditable()) {
      throw new Forbidden("this flag is not editable by tenants");
    }
    return flag;
  }

  private static JsonObject tenantView(FlagDefinition flag, UUID tenant) {
    JsonObject json = flag.withRules(flag.rules().stream().filter(r -> tenant.equals(r.tenantId())).toList()).json();
    json.remove("killSwitch");
    json.remove("uniformSince");
    return json;
  }

  private static String subject(String key) {
    return "flag:" + key;
  }
}
