package io.caduceus.api.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * "MFA required": the password was right and the user has a second factor. The ticket (single use, short-lived,
 * stored hashed) and a code give the tokens ({@code POST /v1/auth/mfa/verify}); the ticket alone gives nothing.
 */
public record MfaChallenge(String ticket, long expiresIn) implements LoginResult {

  @Override
  public JsonObject toJson() {
    return new JsonObject().put("mfaRequired", true).put("mfaTicket", ticket).put("expiresIn", expiresIn)
        .put("methods", new JsonArray().add("totp").add("recovery_code"));
  }
}
