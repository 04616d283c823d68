package io.caduceus.api.engagement;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.api.http.StorableText;
import io.caduceus.notifications.channel.TwilioWebhookSignature;
import io.caduceus.routing.TenantId;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Twilio's callbacks. They carry no bearer token: each is verified by its signature, which covers the public URL
 * Twilio called, so that URL is rebuilt from the configured public base ({@code publicBaseUrl}), not from what a
 * proxy in between says.
 */
public final class WebhookHandlers {

  private final TwilioWebhookService twilio;
  private final String publicBaseUrl;

  public WebhookHandlers(TwilioWebhookService twilio, String publicBaseUrl) {
    this.twilio = twilio;
    this.publicBaseUrl = publicBaseUrl;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("twilioStatusCallback", rc -> twilio.status(tenant(rc), url(rc), form(rc), signature(rc))
        .map(v -> Reply.noContent()));
    ops.bind("twilioInbound", rc -> twilio.inbound(tenant(rc), Requests.audit(rc), url(rc), form(rc), signature(rc))
        .map(v -> Reply.noContent()));
  }

  private static TenantId tenant(RoutingContext rc) {
    return new TenantId(Requests.pathUuid(rc, "tenantId"));
  }

  private String url(RoutingContext rc) {
    String query = rc.request().query();
    String base = publicBaseUrl == null ? rc.request().absoluteURI().replaceFirst("(https?://[^/]+).*", "$1")
        : publicBaseUrl;
    return base + rc.request().path() + (query == null ? "" : "?" + query);
  }

  private static String signature(RoutingContext rc) {
    return rc.request().getHeader(TwilioWebhookSignature.HEADER);
  }

  /** The form fields, decoded once from the raw body (Twilio sends each field once), each storable as text. */
  private static Map<String, String> form(RoutingContext rc) {
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
