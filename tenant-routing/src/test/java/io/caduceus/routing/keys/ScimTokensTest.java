package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A SCIM token names its tenant for routing; nothing else reads as one. */
class ScimTokensTest {

  private final TenantId tenant = new TenantId(UUID.randomUUID());

  @Test
  void aTokenNamesItsTenantWithOrWithoutTheBearerScheme() {
    String token = ScimTokens.issue(tenant);
    assertThat(ScimTokens.tenantOf(token)).contains(tenant);
    assertThat(ScimTokens.tenantOf("Bearer " + token)).contains(tenant);
    assertThat(ScimTokens.tenantOf("bearer  " + token)).contains(tenant);
    assertThat(ScimTokens.issue(tenant)).isNotEqualTo(token);
  }

  @Test
  void anythingElseNamesNoTenant() {
    assertThat(ScimTokens.tenantOf(null)).isEmpty();
    assertThat(ScimTokens.tenantOf("Bearer eyJhbGciOiJFUzI1NiJ9.e30.sig")).isEmpty();
    assertThat(ScimTokens.tenantOf("scim_not-a-uuid-at-all-but-36-chars-long_x")).isEmpty();
    assertThat(ScimTokens.tenantOf("scim_" + tenant.value())).isEmpty();
    assertThat(ScimTokens.tenantOf("scim_" + tenant.value() + "_")).isEmpty();
  }
}
