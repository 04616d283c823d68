package io.caduceus.api.flags;

import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FeatureProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.openfeature.sdk.exceptions.FlagNotFoundError;
import dev.openfeature.sdk.exceptions.TypeMismatchError;
import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Caduceus's own OpenFeature provider: answers from this node's {@link FeatureState} snapshot, never with I/O. Keys
 * {@code module.<name>} answer whether the context's tenant has that module on; every other key is a flag of the
 * control plane. A tenant could use another provider (flagd, LaunchDarkly, Unleash) behind the same client.
 */
public final class ControlPlaneProvider implements FeatureProvider {

  /** The prefix of the keys that name a module. */
  public static final String MODULE_PREFIX = "module.";
  private static final Metadata METADATA = () -> "caduceus-control-plane";

  private final FeatureState state;

  public ControlPlaneProvider(FeatureState state) {
    this.state = state;
  }

  @Override
  public Metadata getMetadata() {
    return METADATA;
  }

  @Override
  public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
    if (key.startsWith(MODULE_PREFIX)) {
      return module(key, ctx);
    }
    return evaluate(key, ctx, Boolean.class, v -> (Boolean) v);
  }

  @Override
  public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
    return evaluate(key, ctx, String.class, v -> (String) v);
  }

  @Override
  public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
    return evaluate(key, ctx, Number.class, v -> ((Number) v).intValue());
  }

  @Override
  public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
    return evaluate(key, ctx, Number.class, v -> ((Number) v).doubleValue());
  }

  @Override
  public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
    return evaluate(key, ctx, JsonObject.class, v -> Value.objectToValue(((JsonObject) v).getMap()));
  }

  private <T> ProviderEvaluation<T> evaluate(String key, EvaluationContext ctx, Class<?> type,
                                             java.util.function.Function<Object, T> convert) {
    FlagDefinition flag = state.snapshot().flags().get(key);
    if (flag == null) {
      throw new FlagNotFoundError("no flag " + key);
    }
    if (!type.isAssignableFrom(FlagDefinition.KINDS.get(flag.kind()))) {
      throw new TypeMismatchError("flag " + key + " is a " + flag.kind() + " flag");
    }
    FlagEvaluator.Decision decision = FlagEvaluator.evaluate(flag, target(ctx));
    return ProviderEvaluation.<T>builder().value(convert.apply(flag.value(decision.variant())))
        .variant(decision.variant()).reason(decision.reason()).build();
  }

  private ProviderEvaluation<Boolean> module(String key, EvaluationContext ctx) {
    ProductModule module = ProductModule.fromWire(key.substring(MODULE_PREFIX.length()))
        .orElseThrow(() -> new FlagNotFoundError("no module " + key));
    UUID tenant = uuid(ctx, FlagContexts.TENANT);
    boolean on = tenant == null || state.moduleOn(tenant, module);
    return ProviderEvaluation.<Boolean>builder().value(on).variant(on ? "on" : "off")
        .reason(Reason.TARGETING_MATCH.name()).build();
  }

  /** The target of an evaluation context built by {@link FlagContexts} (or any with the same attributes). */
  static FlagTarget target(EvaluationContext ctx) {
    Value roles = ctx.getValue(FlagContexts.ROLES);
    Set<String> roleNames = Set.of();
    if (roles != null && roles.isList()) {
      List<Value> list = roles.asList();
      roleNames = new HashSet<>(list.size() * 2);
      for (Value role : list) {
        roleNames.add(role.asString());
      }
    }
    return new FlagTarget(string(ctx, FlagContexts.REGION), uuid(ctx, FlagContexts.TENANT),
        string(ctx, FlagContexts.TENANT_KIND), roleNames, uuid(ctx, FlagContexts.USER), ctx.getTargetingKey());
  }

  private static String string(EvaluationContext ctx, String attribute) {
    Value value = ctx.getValue(attribute);
    return value == null ? null : value.asString();
  }

  private static UUID uuid(EvaluationContext ctx, String attribute) {
    String value = string(ctx, attribute);
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
