package io.caduceus.api.testing;

import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.auth.mfa.Totp;
import io.caduceus.api.demo.DemoPlatform;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * Password logins of demo users over HTTP; the demo's owner and admins answer the MFA challenge with a code of the
 * demo's TOTP secret. The server accepts each 30-second step once per user, so each login takes a step not used yet
 * by this JVM (the current one, or the next, which the server accepts a step early).
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
    String email = body.getString("email");
    long step = Math.max(LAST_STEP.getOrDefault(email, 0L) + 1, Totp.step(Instant.now()));
    LAST_STEP.put(email, step);
    return expect(api.post("/v1/auth/mfa/verify", null, new JsonObject().put("mfaTicket", first.getString("mfaTicket"))
        .put("code", new Totp().code(Base32.decode(DemoPlatform.TOTP_SECRET), step))), 200).json();
  }
}
