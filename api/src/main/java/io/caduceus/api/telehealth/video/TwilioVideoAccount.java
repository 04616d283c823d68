package io.caduceus.api.telehealth.video;

import java.util.Objects;

/**
 * A tenant's own Twilio Video account: the account sid, an API key (sid and secret) that signs access tokens and
 * calls the REST API, and the account's auth token, with which Twilio signs its status callbacks.
 */
public record TwilioVideoAccount(String accountSid, String apiKeySid, String apiKeySecret, String authToken) {

  public TwilioVideoAccount {
    Objects.requireNonNull(accountSid, "accountSid");
    Objects.requireNonNull(apiKeySid, "apiKeySid");
    Objects.requireNonNull(apiKeySecret, "apiKeySecret");
    Objects.requireNonNull(authToken, "authToken");
  }

  /** Never prints the secrets. */
  @Override
  public String toString() {
    return "TwilioVideoAccount[" + accountSid + ", key " + apiKeySid + "]";
  }
}
