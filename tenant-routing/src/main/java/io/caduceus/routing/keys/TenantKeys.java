package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;

import javax.crypto.SecretKey;
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

  private byte[] aad(String binding, int version) {
    return (tenant + "|" + version + "|" + binding).getBytes(StandardCharsets.UTF_8);
  }
}
