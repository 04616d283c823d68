package io.caduceus.api.engagement;

import io.caduceus.api.http.StorableText;
import io.caduceus.notifications.channel.TwilioWebhookSignature;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a Twilio webhook's signature covers, read from the request: the public URL Twilio called (rebuilt from the
 * configured public base, not from what a proxy in between says), the form fields, and the signature header.
 */
public final class TwilioWebhookRequest {

  private TwilioWebhookRequest() {
  }

  /** The URL Twilio called, with its query string; {@code publicBaseUrl} null means the request's own host. */
  public static String url(RoutingContext rc, String publicBaseUrl) {
    String query = rc.request().query();
    String base = publicBaseUrl == null ? rc.request().absoluteURI().replaceFirst("(https?://[^/]+).*", "$1")
        : publicBaseUrl;
    return base + rc.request().path() + (query == null ? "" : "?" + query);
  }

  /** The X-Twilio-Signature header, or null. */
  public static String signature(RoutingContext rc) {
    return rc.request().getHeader(TwilioWebhookSignature.HEADER);
  }

  /** The form fields, decoded once from the raw body (Twilio sends each field once), each storable as text. */
  public static Map<String, String> form(RoutingContext rc) {
    Map<String, String> fields = new LinkedHashMap<>();
    String body = rc.body() == null || rc.body().buffer() == null ? "" : rc.body().asString();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      StorableText.require(key, value);
      fields.putIfAbsent(key, value);
    }
    return fields;
  }
}
