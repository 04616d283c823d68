package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.FcmAccount;
import io.caduceus.notifications.channel.SmtpAccount;
import io.caduceus.notifications.channel.TwilioAccount;

/**
 * The platform's own provider accounts, used by tenants that bring none. A null account sends that channel to the
 * sandbox, which records the message without sending it (the embedded default).
 */
public record PlatformAccounts(FcmAccount push, TwilioAccount sms, SmtpAccount email) {

  /** No accounts at all: everything goes to the sandbox. */
  public static final PlatformAccounts SANDBOX = new PlatformAccounts(null, null, null);
}
