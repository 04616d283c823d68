package io.caduceus.api.telehealth.video;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.DomainException;
import io.caduceus.api.error.Unavailable;

/**
 * What a video provider failure means for the client: the provider is down or slow (503 with Retry-After: retry),
 * or the tenant's account is refused (409: fix the credentials). The detail names Twilio's error code at most,
 * never the SDK's message.
 */
final class VideoFailures {

  private VideoFailures() {
  }

  /** The problem for whatever the SDK or the worker threw. */
  static DomainException of(Throwable error) {
    if (error instanceof DomainException domain) {
      return domain;
    }
    if (error instanceof ApiException e && !(error instanceof ApiConnectionException) && e.getStatusCode() != null) {
      int status = e.getStatusCode();
      if (status == 401 || status == 403) {
        return unusableAccount();
      }
      if (status < 500 && status != 429) {
        return new Conflict("the video provider refused the request (Twilio error "
            + (e.getCode() == null ? "http " + status : e.getCode()) + ")");
      }
    }
    return new Unavailable("the video provider is unavailable; retry shortly");
  }

  /** The tenant's account cannot be used as it is. */
  static Conflict unusableAccount() {
    return new Conflict("the tenant's video account was refused; check its video credentials");
  }

  /**
   * A completion of a room Twilio ended already has nothing left to do: 404/53106 (no such room any more), 400/53112
   * (the status cannot be applied: the room is not in progress) or 400/53118 (room completed).
   */
  static boolean alreadyEnded(ApiException e) {
    Integer status = e.getStatusCode();
    Integer code = e.getCode();
    return status != null && (status == 404 || status == 400 && code != null && (code == 53112 || code == 53118));
  }
}
