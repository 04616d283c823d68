package io.caduceus.api.smart;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.text.ParseException;

/**
 * The public keys of a {@code private_key_jwt} app: those it registered, or those its JWK set URL serves now (read at
 * each use, so the app may rotate them). Such a URL may only name 127.0.0.1, so the server fetches nothing from
 * elsewhere on a client's say-so; a slow, large or malformed answer is {@code invalid_client}, never a 5xx.
 */
public final class AppKeys {

  private static final int TIMEOUT_MS = 3_000;
  private static final int MAX_BODY = 64 * 1024;

  private final HttpClientAgent http;

  public AppKeys(Vertx vertx) {
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(TIMEOUT_MS));
  }

  /** Whether a JWK set URL is one this server reads: http or https on 127.0.0.1, without user info or fragment. */
  static boolean loopback(String text) {
    try {
      URI uri = new URI(text);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && "127.0.0.1".equals(uri.getHost())
          && uri.getUserInfo() == null && uri.getFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** The app's keys; {@code invalid_client} when its URL cannot be read. */
  Future<JWKSet> of(SmartApp app) {
    if (app.jwks() != null) {
      return parse(app.jwks().encode());
    }
    if (app.jwksUri() == null || !loopback(app.jwksUri())) {
      return Future.failedFuture(OAuthError.invalidClient("the app has no public keys"));
    }
    RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(app.jwksUri())
        .setIdleTimeout(TIMEOUT_MS).setFollowRedirects(false).putHeader("Accept", "application/json");
    return http.request(get)
        .compose(request -> request.send())
        .compose(response -> response.statusCode() == 200 ? response.body()
            : Future.failedFuture(new IllegalStateException("HTTP " + response.statusCode())))
        .compose(body -> body.length() > MAX_BODY ? Future.failedFuture(new IllegalStateException("too large"))
            : parse(body.toString()))
        .recover(e -> Future.failedFuture(e instanceof OAuthError ? e
            : OAuthError.invalidClient("the app's JWK set URL could not be read")));
  }

  private static Future<JWKSet> parse(String json) {
    try {
      JWKSet set = JWKSet.parse(json);
      return Future.succeededFuture(new JWKSet(set.getKeys().stream().filter(k -> !k.isPrivate())
          .filter(ClientKeys::usable).toList()));
    } catch (ParseException e) {
      return Future.failedFuture(OAuthError.invalidClient("the app's keys cannot be read"));
    }
  }
}
