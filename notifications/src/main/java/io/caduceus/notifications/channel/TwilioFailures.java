package io.caduceus.notifications.channel;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;

import static io.caduceus.notifications.channel.SendFailure.Kind.ADDRESS_GONE;
import static io.caduceus.notifications.channel.SendFailure.Kind.PERMANENT;
import static io.caduceus.notifications.channel.SendFailure.Kind.RETRYABLE;

/**
 * What a Twilio failure means for the engine. The reason carries Twilio's error code only: the SDK's own messages
 * can quote the reply, and so the number and the body.
 */
final class TwilioFailures {

  private TwilioFailures() {
  }

  /** The send failure for whatever the Twilio SDK threw. */
  static SendFailure classify(Throwable error) {
    if (error instanceof ApiConnectionException) {
      return new SendFailure(RETRYABLE, "twilio connection");
    }
    if (error instanceof ApiException e) {
      return fromApi(e);
    }
    if (error instanceof IllegalArgumentException) {
      // A malformed status callback URL or phone number, caught before any call.
      return new SendFailure(PERMANENT, "twilio invalid message");
    }
    return new SendFailure(RETRYABLE, "twilio " + error.getClass().getSimpleName());
  }

  private static SendFailure fromApi(ApiException e) {
    Integer code = e.getCode();
    Integer status = e.getStatusCode();
    if (code == null && status == null) {
      // NetworkHttpClient wraps I/O errors (refused, reset, read timeout) and unreadable replies this way.
      return new SendFailure(RETRYABLE, "twilio connection");
    }
    String reason = code != null ? "twilio " + code : "twilio http " + status;
    if (code != null) {
      switch (code) {
        case 21610, 21211, 21614:   // unsubscribed (STOP), invalid number, not a mobile number
          return new SendFailure(ADDRESS_GONE, reason);
        case 20003, 21606, 21212:   // authentication, From not ours or not SMS-capable, invalid From
          return new SendFailure(PERMANENT, reason);
        case 20429:                 // too many requests
          return new SendFailure(RETRYABLE, reason);
        default:
          break;
      }
    }
    if (status != null && (status == 429 || status >= 500)) {
      return new SendFailure(RETRYABLE, reason);
    }
    return new SendFailure(PERMANENT, reason);
  }
}
