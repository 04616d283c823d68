package io.caduceus.routing.keys;

import io.caduceus.routing.TenantId;

import java.util.Optional;

/**
 * SCIM bearer tokens: {@code scim_} and a {@link TenantSecrets} secret. The prefix tells a secret scanner (and a
 * reader) what leaked; the tenant the secret names lets the region router send a SCIM request to its tenant's region
 * without a lookup. It grants nothing, since a node accepts a token only when the SHA-256 of the whole token is a
 * live token of that very tenant.
 */
public final class ScimTokens {

  private static final String PREFIX = "scim_";

  private ScimTokens() {
  }

  /** A new token for a tenant. */
  public static String issue(TenantId tenant) {
    return PREFIX + TenantSecrets.next(tenant);
  }

  /** The tenant a token names, from an {@code Authorization} header or the bare token; empty for any other token. */
  public static Optional<TenantId> tenantOf(String authorization) {
    String token = bare(authorization);
    return token != null && token.startsWith(PREFIX) ? TenantSecrets.tenantOf(token.substring(PREFIX.length()))
        : Optional.empty();
  }

  /** The token of a {@code Bearer} header (the scheme in any case), or the value itself when it has no scheme. */
  public static String bare(String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).trim() : value;
  }
}
