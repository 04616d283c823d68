package io.caduceus.api.identity;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A tenant admin's identity provider: issuer, client, the email domains it vouches for, the app redirect URIs,
 * and whether staff must use it. The client secret is sealed under the tenant's data key and never read back out.
 */
public final class SsoSettingsService {

  /** What a stored client secret is bound to, so a sealed value cannot be moved to another column or tenant. */
  static final String SECRET_BINDING = "tenant_sso/client_secret";

  private static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{1,62}");

  private final ControlPlane controlPlane;
  private final TenantKeyring keyring;
  private final IdentityProviders providers;
  private final SsoRepository repository = new SsoRepository();

  public SsoSettingsService(ControlPlane controlPlane, TenantKeyring keyring, IdentityProviders providers) {
    this.controlPlane = controlPlane;
    this.keyring = keyring;
    this.providers = providers;
  }

  /** The active tenant's identity provider, without its secret. */
  public Future<SsoSettings> get(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_USERS_MANAGE)
        .compose(v -> repository.settings(controlPlane.pool(), ctx.tenantId()))
        .map(found -> found.orElseThrow(() -> new NotFound("this tenant has no identity provider")));
  }

  /**
   * Sets the active tenant's identity provider, after its discovery document has been read (so a wrong issuer is
   * refused now, not at the first login). A secret left out keeps the stored one.
   */
  public Future<SsoSettings> put(TenantContext ctx, JsonObject body) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE).compose(v -> store(ctx, body));
  }

  private Future<SsoSettings> store(TenantContext ctx, JsonObject body) {
    String issuer = issuer(body.getString("issuer"));
    Set<String> domains = domains(body.getJsonArray("emailDomains", new JsonArray()));
    Set<String> redirects = redirects(body.getJsonArray("redirectUris", new JsonArray()));
    boolean requireSso = body.getBoolean("requireSso", false);
    UUID breakGlass = body.getString("breakGlassUserId") == null ? null
        : UUID.fromString(body.getString("breakGlassUserId"));
    if (requireSso && breakGlass == null) {
      throw new Invalid("/breakGlassUserId", "is required when requireSso is true: one local admin must keep a way in");
    }
    return (breakGlass == null ? Future.succeededFuture(true)
            : repository.isActiveAdmin(controlPlane.pool(), ctx.tenantId(), breakGlass))
        .compose(admin -> admin ? secret(ctx, body.getString("clientSecret"))
            : Future.failedFuture(new Unprocessable("the break-glass user must be an active tenant admin here")))
        .compose(sealed -> providers.discover(issuer)
            .recover(unreachable -> Future.failedFuture(new Unprocessable(
                "the issuer publishes no OpenID discovery document this server can read")))
            .map(sealed))
        .compose(sealed -> controlPlane.inTransaction(conn -> repository.put(conn, ctx.tenantId(), issuer,
            body.getString("clientId"), sealed, domains, redirects, requireSso, breakGlass)))
        .compose(v -> repository.settings(controlPlane.pool(), ctx.tenantId()))
        .map(found -> found.orElseThrow());
  }

  /** Removes the active tenant's identity provider: its staff sign in with passwords again. */
  public Future<Void> delete(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> controlPlane.inTransaction(conn -> repository.delete(conn, ctx.tenantId())))
        .compose(deleted -> deleted ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("this tenant has no identity provider")));
  }

  private Future<byte[]> secret(TenantContext ctx, String sent) {
    if (sent != null) {
      return keyring.keys(ctx.tenantId()).map(keys -> keys.seal(SECRET_BINDING, sent));
    }
    return repository.settings(controlPlane.pool(), ctx.tenantId()).map(found -> found
        .orElseThrow(() -> new Invalid("/clientSecret", "is required the first time the provider is set"))
        .sealedSecret());
  }

  /** An issuer URL: https, or http on the loopback interface only (a local IdP in development). */
  static String issuer(String text) {
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new Invalid("/issuer", "is not a URL");
    }
    boolean loopback = "127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost());
    if (uri.getHost() == null || uri.getQuery() != null || uri.getFragment() != null
        || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
      throw new Invalid("/issuer", "must be an https URL without query or fragment (http only on the loopback)");
    }
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }

  private static Set<String> domains(JsonArray listed) {
    Set<String> domains = new TreeSet<>();
    for (int i = 0; i < listed.size(); i++) {
      String domain = listed.getString(i).trim().toLowerCase(Locale.ROOT);
      if (!DOMAIN.matcher(domain).matches() || !domain.contains(".")) {
        throw new Invalid("/emailDomains/" + i, "is not a domain name");
      }
      domains.add(domain);
    }
    return domains;
  }

  // An app's redirect: its own custom scheme (com.example.app:/sso), or https; never http, never a fragment.
  private static Set<String> redirects(JsonArray listed) {
    Set<String> redirects = new TreeSet<>();
    for (int i = 0; i < listed.size(); i++) {
      String text = listed.getString(i);
      URI uri;
      try {
        uri = URI.create(text);
      } catch (IllegalArgumentException e) {
        throw new Invalid("/redirectUris/" + i, "is not a URI");
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme();
      boolean custom = SCHEME.matcher(scheme).matches() && !scheme.startsWith("http") && !"javascript".equals(scheme)
          && !"data".equals(scheme) && !"file".equals(scheme);
      if (uri.getFragment() != null || !(custom || "https".equals(scheme) && uri.getHost() != null)) {
        throw new Invalid("/redirectUris/" + i, "must be an app's custom scheme or https, without a fragment");
      }
      redirects.add(text);
    }
    return redirects;
  }
}
