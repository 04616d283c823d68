package io.caduceus.api.auth.mfa;

import io.caduceus.routing.keys.AesGcm;
import io.caduceus.routing.keys.MasterKey;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Seals TOTP secrets at rest. Users are global, so their secrets are sealed under the platform's key service, not a
 * tenant's data key: a purpose key derived from the master key ({@code mfa.totp}), each secret bound to its user
 * (the AES-GCM associated data), so a sealed secret copied to another user's row does not open. A tenant's key would
 * tie a user's one authenticator to one of their tenants, and offboarding that tenant would shred it for the others.
 */
public final class TotpSecrets {

  private final SecretKey key;

  public TotpSecrets(MasterKey master) {
    this.key = master.derive("mfa.totp");
  }

  /** Seals a user's secret. */
  public byte[] seal(UUID userId, byte[] secret) {
    return AesGcm.seal(key, secret, binding(userId));
  }

  /** Opens a user's sealed secret. */
  public byte[] open(UUID userId, byte[] sealed) {
    return AesGcm.open(key, sealed, binding(userId));
  }

  private static byte[] binding(UUID userId) {
    return ("user_totp/" + userId).getBytes(StandardCharsets.UTF_8);
  }
}
