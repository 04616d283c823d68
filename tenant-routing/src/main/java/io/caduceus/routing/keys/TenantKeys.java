package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A tenant's unwrapped data keys, by version. Sealed fields carry the key version in front, so a key rotation
 * leaves older values readable; a destroyed key leaves them unreadable for good.
 */
public final class TenantKeys {

  private static final byte FORMAT = 1;

  private final TenantId tenant;
  private final int currentVersion;
  private final Map<Integer, SecretKey> byVersion;

  TenantKeys(TenantId tenant, int currentVersion, Map<Integer, SecretKey> byVersion) {
    this.tenant = tenant;
    this.currentVersion = currentVersion;
    this.byVersion = Map.copyOf(byVersion);
  }

  /** Seals a field value, bound to the tenant and to {@code binding} (for example "patient.national_id/ID"). */
  public byte[] seal(String binding, String plaintext) {
    SecretKey key = byVersion.get(currentVersion);
    if (key == null) {
      throw new SealBrokenException();
    }
    byte[] body = AesGcm.seal(key, plaintext.getBytes(StandardCharsets.UTF_8), aad(binding, currentVersion));
    return ByteBuffer.allocate(5 + body.length).put(FORMAT).putInt(currentVersion).put(body).array();
  }

  /** Opens a sealed field value with the same binding. */
  public String open(String binding, byte[] sealed) {
    if (sealed.length < 5 || sealed[0] != FORMAT) {
      throw new SealBrokenException();
    }
    int version = ByteBuffer.wrap(sealed, 1, 4).getInt();
    SecretKey key = byVersion.get(version);
    if (key == null) {
      throw new SealBrokenException();
    }
    byte[] body = Arrays.copyOfRange(sealed, 5, sealed.length);
    return new String(AesGcm.open(key, body, aad(binding, version)), StandardCharsets.UTF_8);
  }

  /**
   * A keyed hash (HMAC-SHA256) of {@code value} for {@code purpose} (for example "coverage.member_id"), so a
   * sealed value can be found by equality without being stored in the clear. The hashing key is derived from the
   * tenant's first data key, so an index stays valid across key rotation; destroying the tenant's keys makes every
   * index meaningless along with the data. Callers normalise {@code value} first.
   */
  public byte[] blindIndex(String purpose, String value) {
    SecretKey first = byVersion.get(1);
    if (first == null) {
      throw new SealBrokenException();
    }
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(first);
      byte[] indexKey = derive.doFinal(("blind-index|" + tenant + "|" + purpose).getBytes(StandardCharsets.UTF_8));
      Mac index = Mac.getInstance("HmacSHA256");
      index.init(new SecretKeySpec(indexKey, "HmacSHA256"));
      return index.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
    }
  }

  private byte[] aad(String binding, int version) {
    return (tenant + "|" + version + "|" + binding).getBytes(StandardCharsets.UTF_8);
  }
}
