package io.caduceus.api.access;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What a member holds in a tenant beyond the base roles of their token: tenant roles and live (unrevoked) grants,
 * as read at the tenant's access {@code version}.
 */
public record MemberAccess(long version, List<HeldRole> roles, List<Grant> grants) {

  /** A tenant that never defined a role nor granted anything. */
  public static MemberAccess none(long version) {
    return new MemberAccess(version, List.of(), List.of());
  }

  /** Whether a grant is limited to a group, so the request's groups in force decide whether it applies. */
  public boolean hasScopedGrants() {
    return grants.stream().anyMatch(g -> g.scopeId() != null);
  }

  /** The permissions in force: the base roles', the tenant roles', and the grants in force now for {@code groups}. */
  public Set<String> permissions(Set<String> base, Instant now, Set<UUID> groups) {
    if (roles.isEmpty() && grants.isEmpty()) {
      return base;
    }
    Set<String> all = new HashSet<>(base);
    roles.forEach(r -> all.addAll(r.permissions()));
    grants.stream().filter(g -> g.inForce(now, groups)).forEach(g -> all.add(g.permission()));
    return Set.copyOf(all);
  }
}
