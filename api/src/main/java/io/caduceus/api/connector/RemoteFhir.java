package io.caduceus.api.connector;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Reads a remote FHIR R4 server with Vert.x's HTTP client, authenticated as the connector says: HTTP basic, or an
 * OAuth2 client-credentials token fetched once per job. Only URLs of the connector's own origin are followed.
 */
final class RemoteFhir {

  private static final int TIMEOUT_MS = 30_000;
  private static final int MAX_BODY = 32 * 1024 * 1024;

  private final HttpClientAgent http;

  RemoteFhir(Vertx vertx) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(10_000));
  }

  /** An authenticated session with one connector's server. */
  record Session(String baseUrl, String authorization) {
  }

  /** Authenticates with the connector's credential (opened by the caller, never kept beyond the job). */
  Future<Session> open(Connector connector, String secret) {
    if ("basic".equals(connector.authType())) {
      String pair = connector.auth().getString("username") + ":" + secret;
      return Future.succeededFuture(new Session(connector.baseUrl(),
          "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
    }
    JsonObject auth = connector.auth();
    String form = "grant_type=client_credentials" + (auth.getString("scope") == null ? ""
        : "&scope=" + URLEncoder.encode(auth.getString("scope"), StandardCharsets.UTF_8));
    String client = URLEncoder.encode(auth.getString("clientId"), StandardCharsets.UTF_8) + ":"
        + URLEncoder.encode(secret, StandardCharsets.UTF_8);
    RequestOptions token = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(auth.getString("tokenUrl"))
        .setIdleTimeout(TIMEOUT_MS)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/x-www-form-urlencoded")
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .putHeader(HttpHeaders.AUTHORIZATION,
            "Basic " + Base64.getEncoder().encodeToString(client.getBytes(StandardCharsets.UTF_8)));
    return send(token, Buffer.buffer(form), "the token endpoint").map(body -> {
      String accessToken;
      try {
        accessToken = body.toJsonObject().getString("access_token");
      } catch (RuntimeException e) {
        accessToken = null;
      }
      if (accessToken == null) {
        throw new TransportFailure("the token endpoint answered no access_token");
      }
      return new Session(connector.baseUrl(), "Bearer " + accessToken);
    });
  }

  /** The first search URL of a type: resources changed after {@code since} (all when null), a page at a time. */
  static String search(Session session, String type, String since) {
    return session.baseUrl() + "/" + type + "?_count=50"
        + (since == null ? "" : "&_lastUpdated=" + URLEncoder.encode("gt" + since, StandardCharsets.UTF_8));
  }

  /** One page of a search; a next link to another origin than the connector's is refused. */
  Future<Buffer> page(Session session, String url, String type) {
    if (!sameOrigin(session.baseUrl(), url)) {
      return Future.failedFuture(new TransportFailure("a " + type + " page link leaves the connector's server"));
    }
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(TIMEOUT_MS)
        .putHeader(HttpHeaders.ACCEPT, "application/fhir+json")
        .putHeader(HttpHeaders.AUTHORIZATION, session.authorization());
    return send(get, null, "the " + type + " search");
  }

  private Future<Buffer> send(RequestOptions options, Buffer body, String what) {
    return http.request(options)
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(response -> response.statusCode() == 200 ? bounded(response)
            : response.body().transform(ignored -> Future.failedFuture(
                new TransportFailure(what + " answered HTTP " + response.statusCode()))))
        .recover(failure -> Future.failedFuture(failure instanceof TransportFailure ? failure
            : new TransportFailure(what + " failed: " + failure.getClass().getSimpleName())));
  }

  private static Future<Buffer> bounded(HttpClientResponse response) {
    return response.body().compose(buffer -> buffer.length() > MAX_BODY
        ? Future.failedFuture(new TransportFailure("a page was larger than " + MAX_BODY + " bytes"))
        : Future.succeededFuture(buffer));
  }

  private static boolean sameOrigin(String baseUrl, String url) {
    try {
      URI base = new URI(baseUrl);
      URI other = new URI(url);
      return base.getScheme().equalsIgnoreCase(String.valueOf(other.getScheme()))
          && base.getHost().equalsIgnoreCase(String.valueOf(other.getHost()))
          && port(base) == port(other) && Objects.requireNonNullElse(other.getPath(), "").startsWith(
          Objects.requireNonNullElse(base.getPath(), ""));
    } catch (Exception e) {
      return false;
    }
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  /** Closes the client's connections. */
  Future<Void> close() {
    return http.close();
  }
}
