package io.caduceus.routing.router;

import java.util.Set;

/**
 * How the router finds the region of a request that carries no token: the contract's public operations
 * ({@code security: []}), each placed by what names its tenant. Every other path needs a token, whose tenant
 * decides. A test holds this list to the contract, so a new public operation cannot be left unplaced.
 */
public final class PublicRoutes {

  /** Where a request goes. */
  public enum Kind {
    /** The token's tenant's region. */
    TOKEN,
    /** Any node of the home region: the route belongs to no tenant (login, refresh, health, contract, docs). */
    HOME,
    /** The {@code dataRegion} of the JSON body (self-registration), else the home region. */
    BODY_REGION,
    /** The region of the tenant whose invitation the body's token is. */
    INVITATION,
    /**
     * The region of the tenant the body's {@code code} or {@code key} names ({@code TenantSecrets}: a telehealth
     * guest's join code or key, kept in that region).
     */
    BODY_SECRET,
    /** The region of the tenant named by the path's fourth segment (provider webhooks). */
    PATH_TENANT,
    /** Not forwarded: a node trusts its loopback callers here, and the router would be one. */
    BLOCKED
  }

  private static final Set<String> HOME = Set.of("/health/live", "/health/ready", "/openapi.yaml", "/docs",
      "/.well-known/jwks.json", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/mfa/verify",
      // Account links live in the control plane; their mail goes out through the platform tenant, at home.
      "/v1/auth/password-reset", "/v1/auth/password-reset/confirm", "/v1/auth/email-verification",
      "/v1/auth/email-verification/confirm",
      // Single sign-on reads and writes only the control plane (tenants' IdPs, logins in flight, users, sessions),
      // which every node shares, and keeps nothing in a region: any home node serves a tenant of any region.
      "/v1/auth/sso/start", "/v1/auth/sso/callback", "/v1/auth/sso/token",
      // SMART on FHIR's discovery and OAuth endpoints read and write only the control plane (clients, apps,
      // assertions, codes, sessions), like single sign-on.
      "/.well-known/smart-configuration", "/fhir/r4/.well-known/smart-configuration", "/oauth2/token",
      "/oauth2/authorize",
      // The FHIR facade's CapabilityStatement is the same on every node and reads no data.
      "/fhir/r4/metadata");

  private PublicRoutes() {
  }

  /** The kind of a request path (without its query string). */
  public static Kind of(String path) {
    if (HOME.contains(path) || path.startsWith("/docs/")) {
      return Kind.HOME;
    }
    if (path.equals("/metrics")) {
      return Kind.BLOCKED;
    }
    if (path.equals("/v1/registrations")) {
      return Kind.BODY_REGION;
    }
    if (path.equals("/v1/invitations/accept")) {
      return Kind.INVITATION;
    }
    if (path.equals("/v1/telehealth/guest-passes")) {
      return Kind.BODY_SECRET;
    }
    if (path.startsWith("/v1/webhooks/")) {
      return Kind.PATH_TENANT;
    }
    return Kind.TOKEN;
  }

  /** The tenant segment of a {@link Kind#PATH_TENANT} path ({@code /v1/webhooks/twilio/{tenantId}/...}), or null. */
  public static String pathTenant(String path) {
    String[] segments = path.split("/");
    return segments.length > 4 ? segments[4] : null;
  }
}
