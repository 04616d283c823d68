package io.caduceus.api.account;

import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.Passwords;
import io.caduceus.api.auth.User;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.routing.ControlPlane;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * Password reset by an emailed single-use link. Asking answers the same whether or not the email belongs to an
 * account: the answer leaves once the request is counted, and the account is looked up and mailed afterwards, so
 * neither the words nor the time of the answer tell. Confirming sets the password, spends the token and ends
 * every session of the user, in every tenant.
 */
public final class PasswordResets {

  private static final Logger LOG = LoggerFactory.getLogger(PasswordResets.class);

  private final ControlPlane controlPlane;
  private final UserRepository users;
  private final Passwords passwords;
  private final LoginThrottle throttle;
  private final AccountTokens tokens;
  private final AccountMail mail;
  private final UserSessions sessions;

  public PasswordResets(ControlPlane controlPlane, UserRepository users, Passwords passwords, LoginThrottle throttle,
                        AccountTokens tokens, AccountMail mail, UserSessions sessions) {
    this.controlPlane = controlPlane;
    this.users = users;
    this.passwords = passwords;
    this.throttle = throttle;
    this.tokens = tokens;
    this.mail = mail;
    this.sessions = sessions;
  }

  /** Counts the request (429 over the limit) and, after answering, mails a link if an active account has the email. */
  public Future<Void> request(String email, String address) {
    return throttle.admitAccountMail("password-reset", email, address).onSuccess(v -> mailLater(email));
  }

  private void mailLater(String email) {
    users.byEmail(email)
        .compose(user -> user.filter(User::active).map(u -> mail.send(u, Purpose.PASSWORD_RESET))
            .orElse(Future.succeededFuture()))
        .onFailure(e -> LOG.warn("password reset email not queued: {}", e.getClass().getSimpleName()));
  }

  /**
   * Sets the new password with a live token, spending it, and ends every session of the account. The token is
   * checked before the password is hashed, so a stream of bad tokens costs no hashing.
   */
  public Future<Void> confirm(String token, String newPassword) {
    return tokens.live(token, Purpose.PASSWORD_RESET)
        .compose(live -> live ? passwords.hash(newPassword) : TokenRefusals.refuse(tokens, token,
            Purpose.PASSWORD_RESET))
        .compose(hash -> controlPlane.inTransaction(conn -> tokens.spend(conn, token, Purpose.PASSWORD_RESET)
            .compose(spent -> spent.isEmpty() ? Future.succeededFuture(Optional.<AccountTokens.Spent>empty())
                : tokens.setPassword(conn, spent.get().userId(), hash, spent.get().sentTo()).map(spent))))
        .compose(spent -> spent.isEmpty() ? TokenRefusals.refuse(tokens, token, Purpose.PASSWORD_RESET)
            : sessions.endAll(spent.get().userId(), null, "password reset")
                .compose(ended -> throttle.succeeded(spent.get().currentEmail())));
  }
}
