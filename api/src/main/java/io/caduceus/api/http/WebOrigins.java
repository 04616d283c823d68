package io.caduceus.api.http;

import io.caduceus.routing.TenantContext;

/**
 * The web origins allowed to call the API from a browser: the deployment's ({@link CorsPolicy}).
 */
public final class WebOrigins {

  private final CorsPolicy deployment;

  public WebOrigins(CorsPolicy deployment) {
    this.deployment = deployment;
  }

  /** Whether an answer to this origin may be read by its page; {@code tenant} is the request's, or null. */
  public boolean allows(String origin, TenantContext tenant) {
    return deployment.allows(origin);
  }

  /** Whether a preflight from this origin is answered (it carries no token, so no tenant is known yet). */
  public boolean allowsAnywhere(String origin) {
    return deployment.allows(origin);
  }

  /** Whether browsers may send credentials (cookies, client certificates) along. */
  public boolean allowCredentials() {
    return deployment.allowCredentials();
  }
}
