package io.caduceus.notifications.channel;

import com.google.firebase.ErrorCode;
import com.google.firebase.FirebaseException;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;

import java.util.Locale;
import java.util.Set;

import static io.caduceus.notifications.channel.SendFailure.Kind.ADDRESS_GONE;
import static io.caduceus.notifications.channel.SendFailure.Kind.PERMANENT;
import static io.caduceus.notifications.channel.SendFailure.Kind.RETRYABLE;

/**
 * What an FCM failure means for the engine. The reason carries FCM's error code only: the SDK's own messages can
 * quote the request, and so the token.
 */
final class FcmFailures {

  private static final Set<ErrorCode> TRANSIENT = Set.of(ErrorCode.UNAVAILABLE, ErrorCode.INTERNAL,
      ErrorCode.DEADLINE_EXCEEDED, ErrorCode.RESOURCE_EXHAUSTED, ErrorCode.ABORTED);

  private FcmFailures() {
  }

  /** The send failure for whatever the Firebase SDK threw. */
  static SendFailure classify(Throwable error) {
    if (error instanceof FirebaseMessagingException e && e.getMessagingErrorCode() != null) {
      return fromMessagingCode(e.getMessagingErrorCode(), e);
    }
    if (error instanceof FirebaseException e) {
      return fromPlatformCode(e);
    }
    if (error instanceof IllegalArgumentException) {
      // Message.builder() validation: the message, not the provider, is wrong.
      return new SendFailure(PERMANENT, "fcm invalid message");
    }
    return new SendFailure(RETRYABLE, "fcm " + error.getClass().getSimpleName());
  }

  private static SendFailure fromMessagingCode(MessagingErrorCode code, FirebaseMessagingException e) {
    String reason = "fcm " + code;
    return switch (code) {
      case UNREGISTERED, SENDER_ID_MISMATCH -> new SendFailure(ADDRESS_GONE, reason);
      // FCM answers INVALID_ARGUMENT both for a malformed token and for a malformed payload; only its text tells.
      case INVALID_ARGUMENT -> aboutToken(e) ? new SendFailure(ADDRESS_GONE, reason + " token")
          : new SendFailure(PERMANENT, reason);
      case UNAVAILABLE, INTERNAL, QUOTA_EXCEEDED -> new SendFailure(RETRYABLE, reason);
      case THIRD_PARTY_AUTH_ERROR -> new SendFailure(PERMANENT, reason);
    };
  }

  private static SendFailure fromPlatformCode(FirebaseException e) {
    String reason = "fcm " + e.getErrorCode();
    IncomingHttpResponse response = e.getHttpResponse();
    if (response == null) {
      // No HTTP answer at all: connection refused, reset or read timeout.
      return new SendFailure(RETRYABLE, reason);
    }
    int status = response.getStatusCode();
    if (status == 429 || status >= 500 || TRANSIENT.contains(e.getErrorCode())) {
      return new SendFailure(RETRYABLE, reason);
    }
    return new SendFailure(PERMANENT, reason);
  }

  private static boolean aboutToken(FirebaseException e) {
    String message = e.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("registration token");
  }
}
