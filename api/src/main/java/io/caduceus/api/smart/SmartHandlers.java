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
 * endpoint (form-encoded, RFC 6749 errors) and a tenant admin's registration of backend clients.
 */
public final class SmartHandlers {

  private final SmartClients clients;
  private final BackendGrant backend;
  private final ServerUrl serverUrl;
  private final String issuer;

  public SmartHandlers(SmartClients clients, BackendGrant backend, ServerUrl serverUrl, String issuer) {
    this.clients = clients;
    this.backend = backend;
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
      String endpoint = serverUrl.of(rc.request()) + "/oauth2/token";
      String grant = form.getOrDefault("grant_type", "");
      answer = switch (grant) {
        case "client_credentials" -> backend.grant(form, endpoint);
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
