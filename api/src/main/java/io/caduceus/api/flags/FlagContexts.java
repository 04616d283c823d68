package io.caduceus.api.flags;

import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.Value;
import io.caduceus.routing.TenantContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenFeature evaluation contexts Caduceus evaluates flags in: region, tenant, tenant kind, roles and user. The
 * targeting key is the user for a user's evaluation, the tenant for a tenant-level one.
 */
public final class FlagContexts {

  public static final String REGION = "region";
  public static final String TENANT = "tenant";
  public static final String TENANT_KIND = "tenantKind";
  public static final String ROLES = "roles";
  public static final String USER = "user";

  private FlagContexts() {
  }

  /** A request's context: its user (the targeting key), roles, tenant, tenant kind and region. */
  public static ImmutableContext of(TenantContext ctx, String tenantKind) {
    Map<String, Value> attributes = tenant(ctx.region(), ctx.tenantId().toString(), tenantKind);
    attributes.put(USER, new Value(ctx.userId().toString()));
    attributes.put(ROLES, new Value(ctx.roles().stream().map(Value::new).toList()));
    return new ImmutableContext(ctx.userId().toString(), attributes);
  }

  /** A user's context built from its parts (tests, the benchmark). */
  public static ImmutableContext user(String region, String tenant, String tenantKind, List<String> roles,
                                      String user) {
    Map<String, Value> attributes = tenant(region, tenant, tenantKind);
    attributes.put(USER, new Value(user));
    attributes.put(ROLES, new Value(roles.stream().map(Value::new).toList()));
    return new ImmutableContext(user, attributes);
  }

  /** A tenant-level context (background work of a tenant): the tenant is the targeting key. */
  public static ImmutableContext tenantLevel(String region, String tenant, String tenantKind) {
    return new ImmutableContext(tenant, tenant(region, tenant, tenantKind));
  }

  private static Map<String, Value> tenant(String region, String tenant, String tenantKind) {
    Map<String, Value> attributes = new HashMap<>();
    if (region != null) {
      attributes.put(REGION, new Value(region));
    }
    attributes.put(TENANT, new Value(tenant));
    if (tenantKind != null) {
      attributes.put(TENANT_KIND, new Value(tenantKind));
    }
    return attributes;
  }
}
