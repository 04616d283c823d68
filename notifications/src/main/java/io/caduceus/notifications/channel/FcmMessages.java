package io.caduceus.notifications.channel;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.ApnsConfig;
import com.google.firebase.messaging.Aps;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.Notification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shapes an {@link Outgoing} as an FCM message. The idempotency key goes everywhere a device can use it: as the
 * Android collapse key and notification tag and the APNs collapse id a resend replaces the first copy on screen, and
 * as {@code data.messageId} the app can drop a duplicate.
 */
final class FcmMessages {

  /** APNs refuses an apns-collapse-id longer than this many bytes. */
  static final int APNS_COLLAPSE_ID_MAX_BYTES = 64;

  private FcmMessages() {
  }

  /** The FCM message for {@code outgoing}; {@code address} is the device token. */
  static Message of(Outgoing outgoing) {
    Map<String, String> data = new LinkedHashMap<>(outgoing.data());
    data.put("messageId", outgoing.key());
    return Message.builder()
        .setToken(outgoing.address())
        .setNotification(Notification.builder().setTitle(outgoing.subject()).setBody(outgoing.body()).build())
        .putAllData(data)
        .setAndroidConfig(AndroidConfig.builder()
            .setCollapseKey(outgoing.key())
            .setNotification(AndroidNotification.builder().setTag(outgoing.key()).build())
            .build())
        .setApnsConfig(ApnsConfig.builder()
            .putHeader("apns-collapse-id", apnsCollapseId(outgoing.key()))
            .setAps(Aps.builder().build())
            .build())
        .build();
  }

  /** The key itself when APNs accepts it, else its SHA-256 in hex (exactly 64 characters). */
  static String apnsCollapseId(String key) {
    if (key.getBytes(StandardCharsets.UTF_8).length <= APNS_COLLAPSE_ID_MAX_BYTES) {
      return key;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
