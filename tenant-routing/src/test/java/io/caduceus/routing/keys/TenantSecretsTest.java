package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A tenant-bound secret names its tenant and nothing else can be read from text that is not one. */
class TenantSecretsTest {

  @Test
  void aSecretNamesItsTenantAndIsNewEachTime() {
    TenantId tenant = new TenantId(UUID.randomUUID());
    String one = TenantSecrets.next(tenant);
    assertThat(TenantSecrets.tenantOf(one)).contains(tenant);
    assertThat(TenantSecrets.next(tenant)).isNotEqualTo(one).startsWith(one.substring(0, 23));
    assertThat(one).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
  }

  @Test
  void textThatIsNoSecretNamesNoTenant() {
    assertThat(TenantSecrets.tenantOf(null)).isEmpty();
    assertThat(TenantSecrets.tenantOf("")).isEmpty();
    assertThat(TenantSecrets.tenantOf("short.x")).isEmpty();
    assertThat(TenantSecrets.tenantOf("!!!!!!!!!!!!!!!!!!!!!!.secret")).isEmpty();
    assertThat(TenantSecrets.tenantOf("AAAAAAAAAAAAAAAAAAAAAAxsecret")).isEmpty();
    assertThat(TenantSecrets.tenantOf(SecretTokens.next())).isEmpty();
  }
}
