package io.caduceus.api.flags;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The flag, kill switch, stale report and module operations, and the caller's own features. */
public final class FeatureHandlers {

  private final FlagService flags;
  private final ModuleService modules;
  private final MyFeatures mine;

  public FeatureHandlers(FlagService flags, ModuleService modules, MyFeatures mine) {
    this.flags = flags;
    this.modules = modules;
    this.mine = mine;
  }

  /** Binds the operations. */
  public void bind(Operations ops) {
    ops.bind("listFlags", rc -> flags.list(Requests.tenant(rc))
        .map(list -> Reply.ok(new JsonObject().put("items", new JsonArray(list.stream().map(FlagDefinition::json)
            .toList())))));
    ops.bind("createFlag", rc -> flags.create(Requests.tenant(rc), Requests.body(rc))
        .map(f -> Reply.created("/v1/platform/flags/" + f.key(), f.json())));
    ops.bind("getFlag", rc -> flags.get(Requests.tenant(rc), key(rc)).map(f -> Reply.ok(f.json())));
    ops.bind("updateFlag", rc -> flags.update(Requests.tenant(rc), key(rc), Requests.body(rc))
        .map(f -> Reply.ok(f.json())));
    ops.bind("deleteFlag", rc -> flags.delete(Requests.tenant(rc), key(rc)).map(v -> Reply.noContent()));
    ops.bind("setFlagRule", rc -> flags.putRule(Requests.tenant(rc), key(rc), Requests.body(rc))
        .map(f -> Reply.ok(f.json())));
    ops.bind("deleteFlagRule", rc -> flags.deleteRule(Requests.tenant(rc), key(rc), Requests.pathUuid(rc, "ruleId"))
        .map(f -> Reply.ok(f.json())));
    ops.bind("putFlagKillSwitch", rc -> flags.kill(Requests.tenant(rc), key(rc), Requests.body(rc))
        .map(f -> Reply.ok(f.json())));
    ops.bind("deleteFlagKillSwitch", rc -> flags.revive(Requests.tenant(rc), key(rc)).map(f -> Reply.ok(f.json())));
    ops.bind("listFlagChanges", rc -> flags.changes(Requests.tenant(rc), key(rc)).map(Reply::ok));
    ops.bind("getStaleFlags", rc -> flags.staleReport(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("getTenantFlagRules", rc -> flags.tenantRules(Requests.tenant(rc), key(rc)).map(Reply::ok));
    ops.bind("putTenantFlagRules", rc -> flags.replaceTenantRules(Requests.tenant(rc), key(rc), Requests.body(rc))
        .map(Reply::ok));
    ops.bind("getTenantModulePlan", rc -> modules.plan(Requests.tenant(rc), Requests.pathTenant(rc)).map(Reply::ok));
    ops.bind("putTenantModulePlan", rc -> modules.setPlan(Requests.tenant(rc), Requests.pathTenant(rc),
        Requests.body(rc)).map(Reply::ok));
    ops.bind("getTenantModules", rc -> modules.tenantModules(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("putTenantModule", rc -> modules.switchModule(Requests.tenant(rc), Requests.pathString(rc, "module"),
        Requests.body(rc).getBoolean("enabled")).map(Reply::ok));
    ops.bind("getMyFeatures", rc -> mine.of(Requests.tenant(rc)).map(Reply::ok));
  }

  private static String key(io.vertx.ext.web.RoutingContext rc) {
    return Requests.pathString(rc, "flagKey");
  }
}
