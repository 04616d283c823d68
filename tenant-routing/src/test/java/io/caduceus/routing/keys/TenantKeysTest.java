package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;
import org.junit.jupiter.api.Test;

import javax.crypto.spec.SecretKeySpec;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantKeysTest {

  private final TenantId tenant = new TenantId(UUID.randomUUID());
  private final SecretKeySpec first = randomKey();
  private final TenantKeys keys = new TenantKeys(tenant, 1, Map.of(1, first));

  @Test
  void aSealedValueOpensWithTheSameBinding() {
    byte[] sealed = keys.seal("patient.national_id/1", "123-45-6789");
    assertThat(keys.open("patient.national_id/1", sealed)).isEqualTo("123-45-6789");
  }

  @Test
  void aSealedValueDoesNotContainThePlaintext() {
    byte[] sealed = keys.seal("patient.national_id/1", "123-45-6789");
    assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("123-45-6789");
  }

  @Test
  void aValueMovedToAnotherRowDoesNotOpen() {
    byte[] sealed = keys.seal("patient.national_id/1", "123-45-6789");
    assertThatThrownBy(() -> keys.open("patient.national_id/2", sealed)).isInstanceOf(SealBrokenException.class);
  }

  @Test
  void anotherTenantsKeysCannotOpenAValue() {
    byte[] sealed = keys.seal("patient.national_id/1", "123-45-6789");
    TenantKeys other = new TenantKeys(new TenantId(UUID.randomUUID()), 1, Map.of(1, randomKey()));
    assertThatThrownBy(() -> other.open("patient.national_id/1", sealed)).isInstanceOf(SealBrokenException.class);
  }

  @Test
  void aValueUnderADestroyedKeyNoLongerOpens() {
    byte[] sealed = keys.seal("patient.national_id/1", "123-45-6789");
    TenantKeys shredded = new TenantKeys(tenant, 1, Map.of());
    assertThatThrownBy(() -> shredded.open("patient.national_id/1", sealed)).isInstanceOf(SealBrokenException.class);
  }

  @Test
  void aTamperedValueDoesNotOpen() {
    byte[] sealed = keys.seal("patient.national_id/1", "123-45-6789");
    sealed[sealed.length - 1] ^= 1;
    assertThatThrownBy(() -> keys.open("patient.national_id/1", sealed)).isInstanceOf(SealBrokenException.class);
  }

  @Test
  void aBlindIndexIsStableAcrossRotationButDiffersByPurposeAndTenant() {
    byte[] index = keys.blindIndex("coverage.member_id", "ACM-448812-01");
    TenantKeys rotated = new TenantKeys(tenant, 2, Map.of(1, first, 2, randomKey()));
    assertThat(rotated.blindIndex("coverage.member_id", "ACM-448812-01")).isEqualTo(index).hasSize(32);
    assertThat(keys.blindIndex("claim.member_id", "ACM-448812-01")).isNotEqualTo(index);
    assertThat(keys.blindIndex("coverage.member_id", "ACM-448812-02")).isNotEqualTo(index);
    TenantKeys other = new TenantKeys(new TenantId(UUID.randomUUID()), 1, Map.of(1, first));
    assertThat(other.blindIndex("coverage.member_id", "ACM-448812-01")).isNotEqualTo(index);
    assertThatThrownBy(() -> new TenantKeys(tenant, 1, Map.of()).blindIndex("coverage.member_id", "x"))
        .isInstanceOf(SealBrokenException.class);
  }

  private static SecretKeySpec randomKey() {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    return new SecretKeySpec(raw, "AES");
  }
}
