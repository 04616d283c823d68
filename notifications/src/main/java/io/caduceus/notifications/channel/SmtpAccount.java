package io.caduceus.notifications.channel;

import java.util.Objects;

/** An SMTP relay and the From address of email. Username and password may be null (an open local relay). */
public record SmtpAccount(String host, int port, String username, String password, String from, boolean startTls) {

  public SmtpAccount {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(from, "from");
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "SmtpAccount[" + host + ":" + port + ", from " + from + "]";
  }
}
