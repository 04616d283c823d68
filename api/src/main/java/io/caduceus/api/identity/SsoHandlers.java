package io.caduceus.api.identity;

import io.caduceus.api.auth.SessionGrant;
import io.caduceus.api.error.Unavailable;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.ops.ServerUrl;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

/**
 * Single sign-on's operations: a tenant admin's identity provider and role mapping, and the public login routes
 * (start, callback, app code exchange). The routes that issue tokens take no {@code Idempotency-Key}.
 */
public final class SsoHandlers {

  /** The callback path every tenant registers at its IdP, under this server's public URL. */
  public static final String CALLBACK = "/v1/auth/sso/callback";

  private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");

  private final SsoSettingsService settings;
  private final RoleMappingService mapping;
  private final SsoLogins logins;
  private final ServerUrl serverUrl;

  public SsoHandlers(SsoSettingsService settings, RoleMappingService mapping, SsoLogins logins, ServerUrl serverUrl) {
    this.settings = settings;
    this.mapping = mapping;
    this.logins = logins;
    this.serverUrl = serverUrl;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("getTenantSso", rc -> settings.get(Requests.tenant(rc)).map(s -> Reply.ok(s.toJson(callbackUri(rc)))));
    ops.bind("putTenantSso", rc -> settings.put(Requests.tenant(rc), Requests.body(rc))
        .map(s -> Reply.ok(s.toJson(callbackUri(rc)))));
    ops.bind("deleteTenantSso", rc -> settings.delete(Requests.tenant(rc)).map(v -> Reply.noContent()));
    ops.bind("getRoleMapping", rc -> mapping.get(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("putRoleMapping", rc -> mapping.replace(Requests.tenant(rc), Requests.body(rc)).map(Reply::ok));
    ops.bind("startSso", this::start);
    ops.bind("ssoCallback", this::finish);
    ops.bind("exchangeSsoCode", rc -> {
      JsonObject body = Requests.body(rc);
      return logins.exchange(body.getString("code"), body.getString("codeVerifier"), Requests.requestId(rc),
          Requests.audit(rc)).map(SsoHandlers::tokens);
    });
  }

  private Future<Reply> start(RoutingContext rc) {
    return logins.start(Requests.queryString(rc, "tenant"), Requests.queryString(rc, "email"),
            Requests.queryString(rc, "redirectUri"), Requests.queryString(rc, "codeChallenge"), callbackUri(rc))
        .map(uri -> new Reply(302, Map.of("Location", uri.toString(), "Cache-Control", "no-store"), null));
  }

  private Future<Reply> finish(RoutingContext rc) {
    return logins.callback(Requests.queryString(rc, "code"), Requests.queryString(rc, "state"),
            Requests.queryString(rc, "error"), Requests.requestId(rc), Requests.audit(rc))
        .map(outcome -> outcome.redirect() == null ? tokens(outcome.grant())
            : new Reply(302, Map.of("Location", outcome.redirect(), "Cache-Control", "no-store"), null));
  }

  private String callbackUri(RoutingContext rc) {
    String base = serverUrl.of(rc.request());
    if (!base.startsWith("http")) {
      throw new Unavailable("this server does not know its public URL; set CADUCEUS_PUBLIC_URL for single sign-on");
    }
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + CALLBACK;
  }

  private static Reply tokens(SessionGrant grant) {
    return new Reply(200, NO_STORE, grant.toJson());
  }
}
