package io.caduceus.api.account;

import java.time.Duration;

/** What an account email's single-use token is for, how long it lasts, and its outbox topic. */
public enum Purpose {
  PASSWORD_RESET("password_reset", Duration.ofMinutes(30), "/password-reset#token="),
  EMAIL_VERIFICATION("email_verification", Duration.ofHours(24), "/verify-email#token=");

  private final String wire;
  private final Duration validity;
  private final String linkPath;

  Purpose(String wire, Duration validity, String linkPath) {
    this.wire = wire;
    this.validity = validity;
    this.linkPath = linkPath;
  }

  /** The name in the database. */
  public String wire() {
    return wire;
  }

  /** How long a token stays usable after it is issued. */
  public Duration validity() {
    return validity;
  }

  /** The outbox topic of its notice (and the engagement topic of its email). */
  public String topic() {
    return "account." + wire;
  }

  /** The app's link for {@code token}: the token rides in the fragment, which no web server or proxy logs. */
  String link(String appLink, String token) {
    return appLink + linkPath + token;
  }
}
