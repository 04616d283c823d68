package io.caduceus.api.account;

import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.auth.User;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Forbidden;
import io.caduceus.routing.ControlPlane;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;

/**
 * Email verification. Only a self-service registration creates an account whose address nobody vouched for (an
 * invitation, the platform, an import or an identity provider did for every other); it starts unverified and is
 * mailed a single-use link. Until it is confirmed the account may not invite anyone into its tenant
 * ({@link #requireVerified}). A confirmed reset link also proves the address, and so does accepting a patient
 * invitation, whose link was mailed to it.
 */
public final class EmailVerifications {

  private static final Logger LOG = LoggerFactory.getLogger(EmailVerifications.class);

  private final ControlPlane controlPlane;
  private final UserRepository users;
  private final LoginThrottle throttle;
  private final AccountTokens tokens;
  private final AccountMail mail;

  public EmailVerifications(ControlPlane controlPlane, UserRepository users, LoginThrottle throttle,
                            AccountTokens tokens, AccountMail mail) {
    this.controlPlane = controlPlane;
    this.users = users;
    this.throttle = throttle;
    this.tokens = tokens;
    this.mail = mail;
  }

  /** Mails a verification link to a user just registered (after the registration committed; best effort). */
  public void mailAfterRegistration(UUID userId) {
    users.byId(userId)
        .compose(user -> user.filter(User::active).map(u -> mail.send(u, Purpose.EMAIL_VERIFICATION))
            .orElse(Future.succeededFuture()))
        .onFailure(e -> LOG.warn("verification email not queued: {}", e.getClass().getSimpleName()));
  }

  /**
   * Asks for a new link (429 over the limit); after answering, mails one if an active, unverified account has the
   * email. It answers the same for any email, as a reset request does.
   */
  public Future<Void> request(String email, String address) {
    return throttle.admitAccountMail("email-verification", email, address).onSuccess(v -> users.byEmail(email)
        .compose(user -> user.filter(User::active).isEmpty() ? Future.succeededFuture()
            : tokens.verified(user.get().id()).compose(verified -> verified ? Future.succeededFuture()
                : mail.send(user.get(), Purpose.EMAIL_VERIFICATION)))
        .onFailure(e -> LOG.warn("verification email not queued: {}", e.getClass().getSimpleName())));
  }

  /** Spends a verification token and marks the address it went to verified (if it is still the account's). */
  public Future<Void> confirm(String token) {
    return controlPlane.inTransaction(conn -> tokens.spend(conn, token, Purpose.EMAIL_VERIFICATION)
            .compose(spent -> spent.isEmpty() ? Future.succeededFuture(false)
                : tokens.markVerified(conn, spent.get().userId(), spent.get().sentTo()).map(true)))
        .compose(spent -> spent ? Future.<Void>succeededFuture()
            : TokenRefusals.refuse(tokens, token, Purpose.EMAIL_VERIFICATION));
  }

  /** Fails with 403 unless the user's address is verified. */
  public Future<Void> requireVerified(UUID userId, String doing) {
    return tokens.verified(userId).compose(verified -> verified ? Future.<Void>succeededFuture()
        : Future.failedFuture(new Forbidden("confirm your email address before " + doing
            + "; ask for a new link with POST /v1/auth/email-verification")));
  }

  /** Whether the user's address is verified. */
  public Future<Boolean> verified(UUID userId) {
    return tokens.verified(userId);
  }

  /** The token store, for the registration and invitation transactions that mark an address. */
  public AccountTokens tokens() {
    return tokens;
  }
}
