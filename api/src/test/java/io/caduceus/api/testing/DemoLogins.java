package io.caduceus.api.testing;

import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.demo.DemoPlatform;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * Password logins of demo users over HTTP; the demo's owner and admins answer the MFA challenge with a code of the
 * demo's TOTP secret. The server accepts each 30-second step once per user, so each login takes a step not used yet
 * by this JVM (the current one, or the next, which the server accepts a step early), waiting for the clock if need be.
 */
public final class DemoLogins {

  private static final Map<String, Long> LAST_STEP = new HashMap<>();

  private DemoLogins() {
  }

  /** The session of a login with {@code body} ({@code email}, {@code password}, maybe {@code tenantId}). */
  public static synchronized JsonObject login(Api api, JsonObject body) {
    JsonObject first = expect(api.post("/v1/auth/login", null, body), 200).json();
    if (!first.getBoolean("mfaRequired", false)) {
      return first;
    }
    long step = freshStep(body.getString("email"));
    return expect(api.post("/v1/auth/mfa/verify", null, new JsonObject().put("mfaTicket", first.getString("mfaTicket"))
        .put("code", new Totp().code(Base32.decode(DemoPlatform.TOTP_SECRET), step))), 200).json();
  }

  /**
   * A step of the demo secret not yet used for {@code email} by this JVM and one the server accepts (now or the
   * next); when both are spent, waits for the clock to reach the next 30-second step.
   */
  private static long freshStep(String email) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      long now = Totp.step(Instant.now());
      long step = Math.max(LAST_STEP.getOrDefault(email, 0L) + 1, now);
      if (step <= now + 1) {
        LAST_STEP.put(email, step);
        return step;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no fresh TOTP step");
      }
      try {
        Thread.sleep(250); // waiting for the clock itself: the next 30-second step
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * Enrols an authenticator for the holder of {@code accessToken} as an app would (the secret it is shown, confirmed
   * by a first code), and answers the fresh access token of the same session, which carries a recent MFA (for
   * step-up operations such as provider credentials).
   */
  public static String enrolMfa(Api api, String accessToken) {
    String secret = expect(api.post("/v1/auth/mfa/totp", accessToken, new JsonObject()), 200).json()
        .getString("secret");
    return expect(api.post("/v1/auth/mfa/totp/confirm", accessToken, new JsonObject().put("code",
        new Totp().code(Base32.decode(secret), Totp.step(Instant.now())))), 200).json().getJsonObject("session")
        .getString("accessToken");
  }
}
