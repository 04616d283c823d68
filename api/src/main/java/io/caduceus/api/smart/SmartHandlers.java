package io.caduceus.api.smart;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.ops.ServerUrl;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SMART on FHIR's operations: its discovery document (under the FHIR base and the server root), the OAuth 2.0 token
 * endpoint (form-encoded, RFC 6749 errors), the authorization endpoint of apps, a tenant admin's registration of
 * backend clients and apps, and a user's approval, list and revocation of app consents.
 */
public final class SmartHandlers {

  /** The services behind the operations. */
  public record Services(SmartClients clients, BackendGrant backend, SmartApps apps, AppAuthorization authorization,
                         SmartConsents consents, AppGrant appGrant, SmartLaunches launches) {
  }

  private final SmartClients clients;
  private final BackendGrant backend;
  private final SmartApps apps;
  private final AppAuthorization authorization;
  private final SmartConsents consents;
  private final AppGrant appGrant;
  private final SmartLaunches launches;
  private final ServerUrl serverUrl;
  private final String issuer;

  public SmartHandlers(Services services, ServerUrl serverUrl, String issuer) {
    this.clients = services.clients();
    this.backend = services.backend();
    this.apps = services.apps();
    this.authorization = services.authorization();
    this.consents = services.consents();
    this.appGrant = services.appGrant();
    this.launches = services.launches();
    this.serverUrl = serverUrl;
    this.issuer = issuer;
  }

  /** Binds the operations. */
  public void bind(Operations ops) {
    ops.bind("fhirSmartConfiguration", this::discovery);
    ops.bind("smartConfiguration", this::discovery);
    ops.bind("oauth2Token", this::token);
    ops.bind("createSmartClient", rc -> clients.register(Requests.tenant(rc), Requests.body(rc))
        .map(c -> Reply.created(rc.request().path() + "/" + c.id(), c.json())));
    ops.bind("listSmartClients", rc -> clients.list(Requests.tenant(rc))
        .map(all -> Reply.items(all.stream().map(SmartClient::json).toList())));
    ops.bind("disableSmartClient", rc -> clients.disable(Requests.tenant(rc), Requests.pathUuid(rc, "clientId"))
        .map(v -> Reply.noContent()));
    ops.bind("createSmartApp", rc -> apps.register(Requests.tenant(rc), Requests.body(rc))
        .map(a -> Reply.created(rc.request().path() + "/" + a.getString("id"), a)));
    ops.bind("listSmartApps", rc -> apps.list(Requests.tenant(rc))
        .map(all -> Reply.items(all.stream().map(SmartApp::json).toList())));
    ops.bind("disableSmartApp", rc -> apps.disable(Requests.tenant(rc), Requests.pathUuid(rc, "appId"))
        .map(v -> Reply.noContent()));
    ops.bind("oauth2Authorize", this::authorize);
    ops.bind("getSmartAuthorization", rc -> consents.pending(Requests.tenant(rc), Requests.pathUuid(rc, "requestId"))
        .map(Reply::ok));
    ops.bind("denySmartAuthorization", rc -> consents.deny(Requests.tenant(rc), Requests.pathUuid(rc, "requestId"))
        .map(Reply::ok));
    ops.bind("approveSmartAuthorization", rc -> consents.approve(Requests.tenant(rc), Requests.sessionId(rc),
        Requests.pathUuid(rc, "requestId"), rc.body() == null || rc.body().length() == 0 ? null : Requests.body(rc))
        .map(Reply::ok));
    ops.bind("createSmartLaunch", rc -> launches.create(Requests.tenant(rc), Requests.body(rc),
            serverUrl.of(rc.request()) + "/fhir/r4")
        .map(l -> Reply.created(rc.request().path() + "/" + l.getString("id"), l)));
    ops.bind("getSmartLaunch", rc -> launches.get(Requests.tenant(rc), Requests.pathUuid(rc, "launchId"))
        .map(Reply::ok));
    ops.bind("listSmartConsents", rc -> consents.list(Requests.tenant(rc)).map(Reply::items));
    ops.bind("revokeSmartConsent", rc -> consents.revoke(Requests.tenant(rc), Requests.pathUuid(rc, "consentId"))
        .map(v -> Reply.noContent()));
  }

  /** Hands a valid authorization request over to the portal (302); a refusal is an RFC 6749 error document. */
  private Future<Reply> authorize(RoutingContext rc) {
    Map<String, String> query = new HashMap<>();
    rc.queryParams().forEach(e -> query.putIfAbsent(e.getKey(), e.getValue()));
    return authorization.authorize(query, serverUrl.of(rc.request()) + "/fhir/r4")
        .map(to -> new Reply(302, Map.of("Location", to, "Cache-Control", "no-store"), null))
        .recover(e -> e instanceof OAuthError error ? Future.succeededFuture(error.reply()) : Future.failedFuture(e));
  }

  private Future<Reply> discovery(RoutingContext rc) {
    return Future.succeededFuture(new Reply(200, Map.of("Cache-Control", "public, max-age=300"),
        SmartDiscovery.of(issuer, serverUrl.of(rc.request()))));
  }

  /** The token endpoint: every refusal is an RFC 6749 error document, never a problem document. */
  private Future<Reply> token(RoutingContext rc) {
    Future<JsonObject> answer;
    try {
      Map<String, String> form = form(rc);
      String base = serverUrl.of(rc.request());
      String endpoint = base + "/oauth2/token";
      String basic = rc.request().getHeader("Authorization");
      String grant = form.getOrDefault("grant_type", "");
      answer = switch (grant) {
        case "client_credentials" -> backend.grant(form, endpoint);
        case "authorization_code" -> appGrant.grant(form, basic, endpoint, base + "/fhir/r4");
        case "refresh_token" -> appGrant.refresh(form, basic, endpoint, base + "/fhir/r4");
        case "" -> Future.failedFuture(OAuthError.invalidRequest("grant_type is required"));
        default -> Future.failedFuture(OAuthError.unsupportedGrantType("unsupported grant_type " + grant));
      };
    } catch (OAuthError e) {
      answer = Future.failedFuture(e);
    }
    return answer.map(body -> new Reply(200, SmartTokens.noStore(), body))
        .recover(e -> e instanceof OAuthError error ? Future.succeededFuture(error.reply()) : Future.failedFuture(e));
  }

  /** The form body, read raw (the router's copy of the contract has no form parser); a repeated parameter fails. */
  private static Map<String, String> form(RoutingContext rc) {
    String body = rc.body() == null ? null : rc.body().asString();
    Map<String, List<String>> parsed = URLUtils.parseParameters(body == null ? "" : body);
    Map<String, String> form = new HashMap<>();
    parsed.forEach((name, values) -> {
      if (values.size() != 1) {
        throw OAuthError.invalidRequest("parameter " + name + " must be sent once");
      }
      form.put(name, values.get(0));
    });
    return form;
  }
}
