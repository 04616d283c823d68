package io.caduceus.notifications.channel;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import io.vertx.core.Future;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Twilio's HTTP client with three changes: our timeouts, one attempt per call (the engine retries, with backoff and
 * a look-up first, where the SDK would resend a possibly accepted SMS after a 5xx), and another base URL than
 * Twilio's hosts when Twilio is a local fake. Every {@code https://*.twilio.com} host the SDK calls (api for SMS,
 * video for Video rooms, ...) is rebased onto that one base URL; their paths do not overlap.
 */
public final class TwilioHttpClient extends NetworkHttpClient {

  /** A Twilio host the SDK builds a URL on, and the path after it. */
  private static final Pattern TWILIO = Pattern.compile("^https://[A-Za-z0-9.-]+\\.twilio\\.com(?=/|$)");

  private final String baseUrl;

  /**
   * A client whose calls time out as the SMS sender's do ({@code timeout} plus a second to read); {@code baseUrl}
   * null means the real Twilio.
   */
  public TwilioHttpClient(String baseUrl, Duration timeout) {
    this(baseUrl, new ProviderCall("twilio", timeout, TwilioFailures::classify));
  }

  /** {@code baseUrl} null means the real Twilio. */
  TwilioHttpClient(String baseUrl, ProviderCall call) {
    super(apacheClient(call));
    this.baseUrl = baseUrl == null || !baseUrl.endsWith("/") ? baseUrl : baseUrl.substring(0, baseUrl.length() - 1);
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }

  @Override
  public Response makeRequest(Request request) {
    if (baseUrl == null) {
      return super.makeRequest(request);
    }
    Matcher host = TWILIO.matcher(request.getUrl());
    return super.makeRequest(host.find() ? rebased(request, request.getUrl().substring(host.end())) : request);
  }

  /** Closes the connection pool; a failure to close is the future's. */
  public Future<Void> close() {
    try {
      client.close();
      return Future.succeededFuture();
    } catch (IOException e) {
      return Future.failedFuture(new UncheckedIOException(e));
    }
  }

  /** The SDK builds every URL from its fixed host ({@code IRequest}); the only way in is a copy with another URL. */
  private Request rebased(Request original, String path) {
    Request copy = new Request(original.getMethod(), baseUrl + path);
    copy.setContentType(original.getContentType());
    copy.setBody(original.getBody());
    copy.setFormParameters(original.getFormParameters());
    copy.setUserAgentExtensions(original.getUserAgentExtensions());
    original.getQueryParams().forEach((name, values) -> values.forEach(value -> copy.addQueryParam(name, value)));
    original.getPostParams().forEach((name, values) -> values.forEach(value -> copy.addPostParam(name, value)));
    original.getHeaderParams().forEach((name, values) -> values.forEach(value -> copy.addHeaderParam(name, value)));
    if (original.getUsername() != null) {
      copy.setAuth(original.getUsername(), original.getPassword());
    } else if (original.getAuthStrategy() != null) {
      copy.setAuth(original.getAuthStrategy());
    }
    return copy;
  }

  private static HttpClientBuilder apacheClient(ProviderCall call) {
    Timeout read = Timeout.ofMilliseconds(call.readMillis());
    RequestConfig config = RequestConfig.custom().setConnectionRequestTimeout(read).setResponseTimeout(read).build();
    ConnectionConfig connection = ConnectionConfig.custom()
        .setConnectTimeout(Timeout.ofMilliseconds(call.connectMillis()))
        .setSocketTimeout(read)
        .build();
    return HttpClientBuilder.create()
        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(connection).setMaxConnPerRoute(20).setMaxConnTotal(100).build())
        .setDefaultRequestConfig(config)
        .disableAutomaticRetries()
        // NetworkHttpClient.makeRequest pins its own RequestConfig (30.5 s connect) on every request; this restores ours.
        .addExecInterceptorFirst("caduceus-timeouts", (request, scope, chain) -> {
          scope.clientContext.setRequestConfig(config);
          return chain.proceed(request, scope);
        });
  }
}
