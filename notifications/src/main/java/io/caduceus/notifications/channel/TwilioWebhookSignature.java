package io.caduceus.notifications.channel;

import com.twilio.security.RequestValidator;

import java.util.Map;

/**
 * Tells a genuine Twilio webhook (status callback, inbound SMS) from a forged one by its X-Twilio-Signature: an
 * HMAC-SHA1, keyed with the account's auth token, of the full URL Twilio called and the sorted form parameters.
 */
public final class TwilioWebhookSignature {

  /** The header Twilio signs its webhooks in. */
  public static final String HEADER = "X-Twilio-Signature";

  private final RequestValidator validator;

  /** A checker for webhooks of the account with this auth token. */
  public TwilioWebhookSignature(String authToken) {
    this.validator = new RequestValidator(authToken);
  }

  /**
   * Whether {@code signature} signs this form POST. {@code url} is the public URL Twilio called, with its query
   * string, as configured at Twilio (behind a proxy, not the URL the server sees).
   */
  public boolean valid(String url, Map<String, String> formParams, String signature) {
    return signature != null && !signature.isEmpty() && validator.validate(url, formParams, signature);
  }
}
