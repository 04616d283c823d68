package io.caduceus.api.flags;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.Value;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.TenantCatalog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What the caller's own app sees of flags and modules ({@code GET /v1/me/features}): every flag defined and every
 * module, each evaluated through the OpenFeature client in the caller's context (region, tenant, tenant kind, roles,
 * user). No I/O: the flags come from the node's snapshot, the tenant's kind from the catalog's cache the tenant
 * resolver has just read. Every signed-in user may ask; the answer is about them alone.
 */
public final class MyFeatures {

  private final Client client;
  private final FeatureState state;
  private final TenantCatalog catalog;

  public MyFeatures(Flags flags, FeatureState state, TenantCatalog catalog) {
    this.client = flags.client();
    this.state = state;
    this.catalog = catalog;
  }

  /** The caller's flags (key order) and modules, each with its value and variant. */
  public Future<JsonObject> of(TenantContext ctx) {
    return catalog.find(ctx.tenantId())
        .map(tenant -> evaluate(FlagContexts.of(ctx, tenant.map(t -> t.kind().wire()).orElse(null))));
  }

  private JsonObject evaluate(EvaluationContext context) {
    List<FlagDefinition> defined = state.snapshot().flags().values().stream()
        .sorted(java.util.Comparator.comparing(FlagDefinition::key)).toList();
    JsonArray flags = new JsonArray();
    for (FlagDefinition flag : defined) {
      FlagEvaluationDetails<?> details = details(flag, context);
      flags.add(new JsonObject().put("key", flag.key()).put("kind", flag.kind())
          .put("value", json(details.getValue())).put("variant", details.getVariant())
          .put("reason", details.getReason()));
    }
    JsonArray modules = new JsonArray();
    for (ProductModule module : ProductModule.values()) {
      FlagEvaluationDetails<Boolean> details =
          client.getBooleanDetails(ControlPlaneProvider.MODULE_PREFIX + module.wire(), true, context);
      modules.add(new JsonObject().put("module", module.wire()).put("on", details.getValue())
          .put("variant", details.getVariant()));
    }
    return new JsonObject().put("flags", flags).put("modules", modules);
  }

  /** The evaluation by the flag's kind; a failed one (a flag deleted meanwhile) carries the kind's empty default. */
  private FlagEvaluationDetails<?> details(FlagDefinition flag, EvaluationContext context) {
    return switch (flag.kind()) {
      case "boolean" -> client.getBooleanDetails(flag.key(), false, context);
      case "string" -> client.getStringDetails(flag.key(), "", context);
      case "number" -> client.getDoubleDetails(flag.key(), 0.0, context);
      default -> client.getObjectDetails(flag.key(), new Value(), context);
    };
  }

  private static Object json(Object value) {
    if (value instanceof Value v) {
      return v.isStructure() ? new JsonObject(v.asStructure().asObjectMap()) : null;
    }
    return value;
  }
}
