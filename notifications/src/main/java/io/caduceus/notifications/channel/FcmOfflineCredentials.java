package io.caduceus.notifications.channel;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;

import java.time.Instant;
import java.util.Date;

/**
 * Credentials for a local fake FCM: a fixed token that never expires. "Refreshing" returns the same token, since the
 * SDK refreshes on every 401 and plain access-token credentials would throw there instead of letting the 401 through.
 */
final class FcmOfflineCredentials extends GoogleCredentials {

  private static final AccessToken OFFLINE =
      new AccessToken("offline", Date.from(Instant.parse("9999-12-31T00:00:00Z")));

  FcmOfflineCredentials() {
    super(GoogleCredentials.newBuilder().setAccessToken(OFFLINE));
  }

  @Override
  public AccessToken refreshAccessToken() {
    return OFFLINE;
  }
}
