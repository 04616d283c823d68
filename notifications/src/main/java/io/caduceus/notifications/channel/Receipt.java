package io.caduceus.notifications.channel;

/** A provider's acceptance of a message: which provider, and the id it gave the message (FCM name, Twilio SID). */
public record Receipt(String provider, String providerMessageId) {
}
