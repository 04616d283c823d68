package io.caduceus.notifications.channel;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One rendered message, ready for a provider. {@code key} is the message's idempotency key: senders pass it to the
 * provider wherever the provider can use it (FCM collapse key and data, the email Message-ID), so a resend after a
 * crash is recognisable as the same message. {@code address} is an FCM token, an E.164 phone number or an email
 * address. {@code statusCallback} is where the provider reports delivery (SMS), or null.
 */
public record Outgoing(UUID messageId, String key, Channel channel, String address, String subject, String body,
                       Map<String, String> data, String statusCallback) {

  public Outgoing {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(channel, "channel");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(body, "body");
    data = data == null ? Map.of() : Map.copyOf(data);
  }
}
