package io.caduceus.notifications.channel;

import java.util.Locale;

/** The ways a patient is reached. Push goes through FCM, SMS through Twilio and email through SMTP. */
public enum Channel {
  PUSH, SMS, EMAIL;

  /** The name in the API and the database. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a wire name; unknown names fail with {@link IllegalArgumentException}. */
  public static Channel fromWire(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
