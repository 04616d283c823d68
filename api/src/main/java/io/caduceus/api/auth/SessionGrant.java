package io.caduceus.api.auth;

import io.caduceus.routing.catalog.Membership;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Tokens for one active tenant, and every tenant the user may switch to: the contract's {@code Session}.
 * {@code mfaPending}: the tenant's policy requires a second factor the session has not proved, so it may only enrol
 * or verify one.
 */
public record SessionGrant(String accessToken, long expiresIn, String refreshToken, long refreshExpiresIn,
                           Membership active, List<Membership> memberships, boolean mfaPending)
    implements LoginResult {

  /** The contract's {@code Session}. */
  @Override
  public JsonObject toJson() {
    JsonArray all = new JsonArray();
    memberships.stream().filter(Membership::usable).forEach(m -> all.add(m.toJson()));
    JsonObject json = new JsonObject()
        .put("accessToken", accessToken)
        .put("tokenType", "Bearer")
        .put("expiresIn", expiresIn)
        .put("refreshToken", refreshToken)
        .put("refreshExpiresIn", refreshExpiresIn)
        .put("activeTenant", active.toJson())
        .put("memberships", all);
    return mfaPending ? json.put("mfaPending", true) : json;
  }
}
