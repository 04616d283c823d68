package io.caduceus.api.flags;

import io.caduceus.api.access.Role;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.TenantKind;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Turns validated request bodies into flags and rules, with the checks the contract's schemas cannot express. */
final class FlagInput {

  private FlagInput() {
  }

  /** A new flag from a create request. */
  static FlagDefinition definition(JsonObject body) {
    String kind = body.getString("kind");
    JsonObject variants = variants(kind, body.getJsonObject("variants"));
    String defaultVariant = body.getString("defaultVariant");
    if (!variants.containsKey(defaultVariant)) {
      throw new Invalid("/defaultVariant", "names no variant of this flag");
    }
    return new FlagDefinition(body.getString("key"), kind, variants, defaultVariant, body.getString("owner"),
        body.getString("description"), expiry(body), body.getBoolean("tenantEditable", false), null, null, null,
        null, 1, List.of());
  }

  /** The flag with an update request's fields; every variant in use must remain. */
  static FlagDefinition updated(FlagDefinition before, JsonObject body) {
    JsonObject variants = body.containsKey("variants") ? variants(before.kind(), body.getJsonObject("variants"))
        : before.variants();
    String defaultVariant = body.getString("defaultVariant", before.defaultVariant());
    if (!variants.containsKey(defaultVariant)) {
      throw new Invalid("/defaultVariant", "names no variant of this flag");
    }
    for (FlagRule rule : before.rules()) {
      if (!variants.containsKey(rule.variant())) {
        throw new Invalid("/variants", "leaves out variant " + rule.variant() + ", which a rule serves");
      }
    }
    if (before.killVariant() != null && !variants.containsKey(before.killVariant())) {
      throw new Invalid("/variants", "leaves out the kill switch's variant");
    }
    return new FlagDefinition(before.key(), before.kind(), variants, defaultVariant,
        body.getString("owner", before.owner()), body.getString("description", before.description()),
        body.containsKey("expiresOn") ? expiry(body) : before.expiresOn(),
        body.getBoolean("tenantEditable", before.tenantEditable()), before.killVariant(), before.killedAt(),
        before.uniformSince(), before.createdAt(), before.version(), before.rules());
  }

  /** A rule of any scope (the platform owner's). */
  static FlagRule rule(JsonObject body, String pointer) {
    FlagRule.Scope scope = FlagRule.Scope.fromWire(body.getString("scope"));
    String value = body.getString("value", "");
    UUID tenant = body.getString("tenantId") == null ? null : UUID.fromString(body.getString("tenantId"));
    switch (scope) {
      case GLOBAL -> value = "";
      case REGION -> require(!value.isEmpty(), pointer + "/value", "is required for a region rule (a region code)");
      case TENANT_KIND -> require(isKind(value), pointer + "/value", "is not a tenant kind");
      case TENANT -> value = "";
      case USER -> require(isUuid(value), pointer + "/value", "is required for a user rule (the user's id)");
      default -> throw new IllegalStateException();
    }
    boolean tenantScoped = scope == FlagRule.Scope.TENANT || scope == FlagRule.Scope.USER;
    require(tenantScoped == (tenant != null), pointer + "/tenantId",
        tenantScoped ? "is required for a tenant or user rule" : "is only for a tenant or user rule");
    return new FlagRule(UuidV7.next(), scope, value, tenant, role(body, pointer), body.getString("variant"),
        percentage(body));
  }

  /** A tenant admin's rules: tenant or user scope only, all of the active tenant. */
  static List<FlagRule> tenantRules(JsonObject body, UUID tenant) {
    JsonArray list = body.getJsonArray("rules");
    List<FlagRule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonObject r = list.getJsonObject(i);
      String pointer = "/rules/" + i;
      FlagRule.Scope scope = FlagRule.Scope.fromWire(r.getString("scope"));
      String value = "";
      if (scope == FlagRule.Scope.USER) {
        value = r.getString("value", "");
        require(isUuid(value), pointer + "/value", "is required for a user rule (the user's id)");
      } else {
        require(scope == FlagRule.Scope.TENANT, pointer + "/scope", "must be tenant or user");
      }
      rules.add(new FlagRule(UuidV7.next(), scope, value, tenant, role(r, pointer), r.getString("variant"),
          percentage(r)));
    }
    return rules;
  }

  /** Fails unless the flag has the variant. */
  static void requireVariant(FlagDefinition flag, String variant, String pointer) {
    require(variant != null && flag.variants().containsKey(variant), pointer, "names no variant of this flag");
  }

  private static JsonObject variants(String kind, JsonObject variants) {
    Class<?> type = FlagDefinition.KINDS.get(kind);
    for (String name : variants.fieldNames()) {
      Object value = variants.getValue(name);
      require(value != null && type.isInstance(value), "/variants/" + name, "is not a " + kind + " value");
    }
    require(!variants.isEmpty(), "/variants", "must name at least one variant");
    return variants.copy();
  }

  private static LocalDate expiry(JsonObject body) {
    return Requests.date("/expiresOn", body.getString("expiresOn"));
  }

  private static String role(JsonObject body, String pointer) {
    String role = body.getString("role", "");
    if (!role.isEmpty()) {
      try {
        Role.fromWire(role);
      } catch (IllegalArgumentException e) {
        throw new Invalid(pointer + "/role", "is not a role");
      }
    }
    return role;
  }

  private static BigDecimal percentage(JsonObject body) {
    Number p = body.getNumber("percentage");
    return p == null ? null : new BigDecimal(p.toString()).setScale(2, java.math.RoundingMode.HALF_UP);
  }

  private static boolean isKind(String value) {
    try {
      TenantKind.fromWire(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isUuid(String value) {
    try {
      UUID.fromString(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void require(boolean condition, String pointer, String detail) {
    if (!condition) {
      throw new Invalid(pointer, detail);
    }
  }
}
