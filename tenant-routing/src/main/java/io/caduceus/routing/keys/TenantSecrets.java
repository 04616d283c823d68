package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque bearer secrets that name their tenant: {@code <tenant id, 22 base64url chars>.<SecretTokens.next()>}. A
 * public endpoint whose secrets live in a tenant's region (not in the control plane, as invitation tokens do) is
 * placed by the region router from the tenant they name; the whole text is what {@link SecretTokens#hash} stores,
 * so naming another tenant only finds nothing there. The tenant id is no secret (webhook URLs carry it too).
 */
public final class TenantSecrets {

  private static final int TENANT_CHARS = 22;

  private TenantSecrets() {
  }

  /** A new secret of {@code tenant}. */
  public static String next(TenantId tenant) {
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(tenant.value().getMostSignificantBits()).putLong(tenant.value().getLeastSignificantBits());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array()) + "." + SecretTokens.next();
  }

  /** The tenant a secret names; empty for text that is not such a secret. */
  public static Optional<TenantId> tenantOf(String secret) {
    if (secret == null || secret.length() <= TENANT_CHARS + 1 || secret.charAt(TENANT_CHARS) != '.') {
      return Optional.empty();
    }
    try {
      ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(secret.substring(0, TENANT_CHARS)));
      return Optional.of(new TenantId(new UUID(bytes.getLong(), bytes.getLong())));
    } catch (IllegalArgumentException | java.nio.BufferUnderflowException e) {
      return Optional.empty();
    }
  }
}
