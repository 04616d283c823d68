package io.caduceus.api.engagement;

import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.caduceus.routing.TenantId;
import io.vertx.ext.web.RoutingContext;

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
    return TwilioWebhookRequest.url(rc, publicBaseUrl);
  }

  private static String signature(RoutingContext rc) {
    return TwilioWebhookRequest.signature(rc);
  }

  private static Map<String, String> form(RoutingContext rc) {
    return TwilioWebhookRequest.form(rc);
  }
}
