package io.caduceus.notifications.channel;

import io.vertx.ext.mail.SMTPException;

import java.util.Set;

import static io.caduceus.notifications.channel.SendFailure.Kind.ADDRESS_GONE;
import static io.caduceus.notifications.channel.SendFailure.Kind.PERMANENT;
import static io.caduceus.notifications.channel.SendFailure.Kind.RETRYABLE;

/**
 * What an SMTP failure means for the engine. The reason carries the reply code only: servers quote the address in
 * their reply text.
 */
final class SmtpFailures {

  /** Mailbox unavailable, user not local, mailbox name not allowed. */
  private static final Set<Integer> NO_SUCH_MAILBOX = Set.of(550, 551, 553);
  /** The Vert.x mail client's words for a refused RCPT TO; a 550 to MAIL FROM is about our sender, not the patient. */
  private static final String RECIPIENT_REFUSED = "recipient address not accepted";

  private SmtpFailures() {
  }

  /** The send failure for whatever the mail client failed with. */
  static SendFailure classify(Throwable error) {
    if (!(error instanceof SMTPException e)) {
      // Connection refused or reset, TLS handshake, a closed connection: the relay may be back later.
      return new SendFailure(RETRYABLE, "smtp connection");
    }
    int code = e.getReplyCode();
    String reason = "smtp " + code;
    if (code >= 500) {
      boolean recipient = e.getMessage() != null && e.getMessage().startsWith(RECIPIENT_REFUSED);
      return new SendFailure(recipient && NO_SUCH_MAILBOX.contains(code) ? ADDRESS_GONE : PERMANENT, reason);
    }
    return new SendFailure(RETRYABLE, reason);
  }
}
