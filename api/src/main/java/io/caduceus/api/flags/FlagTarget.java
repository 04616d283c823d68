package io.caduceus.api.flags;

import java.util.Set;
import java.util.UUID;

/**
 * Who a flag is evaluated for: the evaluation context's region, tenant, tenant kind, roles and user, and the key a
 * rollout hashes (the user id, or the tenant id for a tenant-level evaluation). Any part may be null.
 */
public record FlagTarget(String region, UUID tenant, String tenantKind, Set<String> roles, UUID user,
                         String targetingKey) {

  /** Whether a rule's scope and role take this target in. */
  boolean matches(FlagRule rule) {
    if (!rule.role().isEmpty() && (roles == null || !roles.contains(rule.role()))) {
      return false;
    }
    return switch (rule.scope()) {
      case GLOBAL -> true;
      case REGION -> rule.scopeValue().equals(region);
      case TENANT_KIND -> rule.scopeValue().equals(tenantKind);
      case TENANT -> rule.tenantId().equals(tenant);
      case USER -> rule.tenantId().equals(tenant) && user != null && rule.scopeValue().equals(user.toString());
    };
  }
}
