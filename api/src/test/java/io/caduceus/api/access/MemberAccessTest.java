package io.caduceus.api.access;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How a request's permissions are resolved from base roles, tenant roles and grants, at an instant and for groups. */
class MemberAccessTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
  private static final UUID FACILITY = UUID.randomUUID();

  private static Grant grant(String permission, UUID scope, Instant expires, Instant revoked) {
    return new Grant(UUID.randomUUID(), UUID.randomUUID(), permission, scope == null ? null : "facility", scope,
        expires, UUID.randomUUID(), NOW.minusSeconds(3600), revoked);
  }

  @Test
  void aScopedGrantIsInForceOnlyWhileItsGroupIsAmongTheGroupsInForce() {
    MemberAccess access = new MemberAccess(3, List.of(), List.of(grant("appointment.book", FACILITY, null, null)));
    assertThat(access.permissions(Set.of("tenant.read"), NOW, Set.of())).containsExactly("tenant.read");
    assertThat(access.permissions(Set.of("tenant.read"), NOW, Set.of(UUID.randomUUID())))
        .containsExactly("tenant.read");
    assertThat(access.permissions(Set.of("tenant.read"), NOW, Set.of(FACILITY)))
        .containsExactlyInAnyOrder("tenant.read", "appointment.book");
  }

  @Test
  void aGrantStopsAtItsExpiryAndWhenRevokedWithNoJobRunning() {
    MemberAccess access = new MemberAccess(3, List.of(), List.of(
        grant("appointment.book", null, NOW.plusSeconds(1), null),
        grant("appointment.cancel", null, null, NOW.minusSeconds(1))));
    assertThat(access.permissions(Set.of(), NOW, Set.of())).containsExactly("appointment.book");
    assertThat(access.permissions(Set.of(), NOW.plusSeconds(1), Set.of())).isEmpty();
  }

  @Test
  void aTenantRoleAddsItsBaseRolesPermissionsAndItsOwn() {
    HeldRole charge = new HeldRole(UUID.randomUUID(), "Charge nurse",
        MemberAccesses.permissions("nurse", List.of("appointment.book")));
    Set<String> all = new MemberAccess(1, List.of(charge), List.of()).permissions(Set.of(), NOW, Set.of());
    assertThat(all).contains("appointment.book", "vitals.write", "patient.clinical.read")
        .doesNotContain("appointment.cancel");
  }
}
