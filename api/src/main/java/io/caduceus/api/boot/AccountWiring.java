package io.caduceus.api.boot;

import io.caduceus.api.account.AccountHandlers;
import io.caduceus.api.account.AccountMail;
import io.caduceus.api.account.AccountTokens;
import io.caduceus.api.account.EmailVerifications;
import io.caduceus.api.account.PasswordResets;
import io.caduceus.api.account.UserSessions;
import io.caduceus.api.http.Operations;

/** The account flows: password reset and email verification by emailed links, and a user's sessions. */
final class AccountWiring {

  final EmailVerifications verifications;
  final PasswordResets resets;
  final UserSessions sessions;

  AccountWiring(Shared shared, AccessWiring access) {
    var controlPlane = shared.controlPlane();
    AccountTokens tokens = new AccountTokens(controlPlane);
    AccountMail mail = new AccountMail(controlPlane, shared.catalog(), shared.keyring(), shared.db(), shared.outbox(),
        tokens);
    this.sessions = new UserSessions(controlPlane, access.revocations, access.users, access.auth);
    this.verifications = new EmailVerifications(controlPlane, access.users, access.throttle, tokens, mail);
    this.resets = new PasswordResets(controlPlane, access.users, access.passwords, access.throttle, tokens, mail,
        sessions);
  }

  /** Binds the account operations. */
  void bind(Operations ops) {
    new AccountHandlers(resets, verifications, sessions).bind(ops);
  }
}
