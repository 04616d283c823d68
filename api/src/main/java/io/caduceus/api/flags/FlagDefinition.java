package io.caduceus.api.flags;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A flag as every node holds it in memory: its variants, its default, its kill switch and its rules, most specific
 * first (a later scope first; within a scope, a rule for a role before one for everyone).
 */
public record FlagDefinition(String key, String kind, JsonObject variants, String defaultVariant, String owner,
                             String description, LocalDate expiresOn, boolean tenantEditable, String killVariant,
                             Instant killedAt, Instant uniformSince, Instant createdAt, int version,
                             List<FlagRule> rules) {

  /** Most specific first. */
  static final Comparator<FlagRule> SPECIFICITY = Comparator.comparingInt(FlagDefinition::specificity).reversed();

  public FlagDefinition {
    rules = rules.stream().sorted(SPECIFICITY).toList();
  }

  private static int specificity(FlagRule rule) {
    return rule.scope().ordinal() * 2 + (rule.role().isEmpty() ? 0 : 1);
  }

  /** The same flag with other rules. */
  FlagDefinition withRules(List<FlagRule> newRules) {
    return new FlagDefinition(key, kind, variants, defaultVariant, owner, description, expiresOn, tenantEditable,
        killVariant, killedAt, uniformSince, createdAt, version, newRules);
  }

  /** The value of a variant (Boolean, String, Number or JsonObject). */
  Object value(String variant) {
    return variants.getValue(variant);
  }

  /**
   * The single variant every context gets, or null when contexts may differ: a kill switch, or rules that all serve
   * one variant to everyone they match (a rollout at 100 % everywhere). The stale report counts from it.
   */
  String uniformVariant() {
    if (killVariant != null) {
      return killVariant;
    }
    Set<String> served = new HashSet<>();
    boolean defaultReachable = rules.stream()
        .noneMatch(r -> r.scope() == FlagRule.Scope.GLOBAL && r.role().isEmpty() && r.servesAll());
    if (defaultReachable) {
      served.add(defaultVariant);
    }
    for (FlagRule rule : rules) {
      if (rule.threshold() > 0) {
        served.add(rule.variant());
      }
      if (!rule.servesAll()) {
        served.add(defaultVariant);
      }
    }
    return served.size() == 1 ? served.iterator().next() : null;
  }

  /** The flag as the API shows it. */
  public JsonObject json() {
    JsonObject json = new JsonObject().put("key", key).put("kind", kind).put("variants", variants.copy())
        .put("defaultVariant", defaultVariant).put("owner", owner).put("description", description)
        .put("expiresOn", expiresOn.toString()).put("tenantEditable", tenantEditable)
        .put("createdAt", createdAt.toString()).put("version", version)
        .put("rules", new JsonArray(rules.stream().map(FlagRule::json).toList()));
    if (killVariant != null) {
      json.put("killSwitch", new JsonObject().put("variant", killVariant).put("since", killedAt.toString()));
    }
    if (uniformSince != null) {
      json.put("uniformSince", uniformSince.toString());
    }
    return json;
  }

  /** The kinds of value a flag's variants may have, as the API names them. */
  static final Map<String, Class<?>> KINDS = Map.of("boolean", Boolean.class, "string", String.class,
      "number", Number.class, "object", JsonObject.class);
}
