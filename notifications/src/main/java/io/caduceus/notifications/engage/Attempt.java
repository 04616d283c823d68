package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.caduceus.notifications.channel.Outgoing;
import io.caduceus.notifications.template.Rendered;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One send a dispatcher has claimed and marked 'sending' (committed before the provider is called): the message,
 * the channel and words, the addresses (several FCM tokens, or one phone or email), and the fencing attempt id.
 * {@code reconcile} is set when a previous dispatcher died during this send: look the message up at the provider
 * before sending it again, ignoring the provider ids in {@code claimed}.
 */
record Attempt(Message message, Channel channel, Rendered words, List<String> addresses, UUID attemptId,
               Instant sendingSince, boolean reconcile, Set<String> claimed, String statusCallback) {

  /**
   * What a sender gets for one of the addresses. The provider-facing key (FCM collapse key, email Message-ID) is
   * the message id: stable across every attempt of the message, unique across tenants, and free of its cause.
   */
  Outgoing outgoing(String address) {
    return new Outgoing(message.id(), message.id().toString(), channel, address, words.subject(), words.body(),
        Map.of("topic", message.topic().wire()), statusCallback);
  }
}
