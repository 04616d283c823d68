package io.caduceus.notifications.channel;

import java.util.Objects;

/** A Twilio account and the sender number (E.164) or messaging service SID ("MG…") that SMS go out from. */
public record TwilioAccount(String accountSid, String authToken, String from) {

  public TwilioAccount {
    Objects.requireNonNull(accountSid, "accountSid");
    Objects.requireNonNull(authToken, "authToken");
    Objects.requireNonNull(from, "from");
  }

  /** Never prints the auth token. */
  @Override
  public String toString() {
    return "TwilioAccount[" + accountSid + ", from " + from + "]";
  }
}
