package io.caduceus.api.auth.mfa;

import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Unauthorized;
import io.caduceus.routing.keys.SecretTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Checks a user's second factor: a TOTP code (each time step accepted once, so a replayed code fails) or one of
 * their single-use recovery codes. Attempts are throttled per user with the password throttle's limits
 * ({@link LoginThrottle}), so guessing six digits is as slow as guessing a password.
 */
public final class SecondFactor {

  /** Which factor a request proved. */
  public enum Kind { TOTP, RECOVERY_CODE }

  /** The {@code amr} a verified second factor adds (RFC 8176: a one-time password, multiple factors). */
  public static final List<String> METHODS = List.of("otp", "mfa");

  private final MfaRepository repository;
  private final TotpSecrets secrets;
  private final LoginThrottle throttle;
  private final Totp totp = new Totp();

  public SecondFactor(MfaRepository repository, TotpSecrets secrets, LoginThrottle throttle) {
    this.repository = repository;
    this.secrets = secrets;
    this.throttle = throttle;
  }

  /** Verifies {@code body}'s {@code code} or {@code recoveryCode} for the user; 401 when wrong, 429 when guessing. */
  public Future<Kind> verify(UUID userId, JsonObject body, String address) {
    String key = "mfa:" + userId;
    String recovery = body.getString("recoveryCode");
    return throttle.admit(key, address)
        .compose(v -> recovery != null ? recoveryCode(userId, recovery) : code(userId, body.getString("code")))
        .compose(kind -> throttle.succeeded(key).map(kind),
            failure -> failure instanceof Unauthorized
                ? throttle.failed(address).compose(x -> Future.failedFuture(failure))
                : Future.failedFuture(failure));
  }

  /** Confirms a pending authenticator with its first code. */
  public Future<Void> confirm(UUID userId, String code, String address) {
    String key = "mfa:" + userId;
    return throttle.admit(key, address)
        .compose(v -> repository.find(userId))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new Conflict("no authenticator is being enrolled; start the enrolment first"));
          }
          if (found.get().confirmed()) {
            return Future.failedFuture(new Conflict("an authenticator is already enrolled"));
          }
          return accept(userId, found.get(), code, true);
        })
        .compose(v -> throttle.succeeded(key),
            failure -> failure instanceof Unauthorized
                ? throttle.failed(address).compose(x -> Future.failedFuture(failure))
                : Future.failedFuture(failure));
  }

  /** A fresh recovery code: 16 base32 characters (80 bits) in groups of four. */
  public static String newRecoveryCode() {
    String raw = Base32.encode(Totp.newSecret()).substring(0, 16).toLowerCase(Locale.ROOT);
    return raw.substring(0, 4) + "-" + raw.substring(4, 8) + "-" + raw.substring(8, 12) + "-" + raw.substring(12);
  }

  /** The stored hash of a recovery code, however it was typed (case, dashes and spaces do not count). */
  public static byte[] hash(String recoveryCode) {
    return SecretTokens.hash(recoveryCode.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", ""));
  }

  private Future<Kind> code(UUID userId, String code) {
    return repository.find(userId).compose(found -> found.isEmpty() || !found.get().confirmed()
        ? Future.failedFuture(new Unauthorized("the code is not valid"))
        : accept(userId, found.get(), code, false).map(Kind.TOTP));
  }

  private Future<Void> accept(UUID userId, MfaRepository.StoredTotp stored, String code, boolean confirming) {
    List<Long> steps = totp.matchingSteps(secrets.open(userId, stored.sealed()), code, Instant.now());
    if (steps.isEmpty()) {
      return Future.failedFuture(new Unauthorized("the code is not valid"));
    }
    return repository.acceptStep(userId, steps.get(0), confirming).compose(accepted -> accepted
        ? Future.succeededFuture()
        : Future.failedFuture(new Unauthorized("this code was already used; wait for the next one")));
  }

  private Future<Kind> recoveryCode(UUID userId, String code) {
    return repository.useRecoveryCode(userId, hash(code)).compose(used -> used
        ? Future.succeededFuture(Kind.RECOVERY_CODE)
        : Future.failedFuture(new Unauthorized("the recovery code is not valid or was already used")));
  }
}
