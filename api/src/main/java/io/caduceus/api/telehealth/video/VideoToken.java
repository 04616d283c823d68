package io.caduceus.api.telehealth.video;

import java.time.Instant;

/** A participant's access token for one room: the provider's JWT, whom it names and until when it is valid. */
public record VideoToken(String provider, String token, String identity, String room, Instant expiresAt) {

  /** Never prints the token. */
  @Override
  public String toString() {
    return "VideoToken[" + provider + ", " + identity + " in " + room + " until " + expiresAt + "]";
  }
}
