package io.caduceus.api.onboarding;

import io.vertx.core.json.JsonObject;

/**
 * A new invitation and its token. The token is shown at most once: returned to the inviter for a staff
 * invitation, or delivered only to the invitee's email for a patient invitation (then {@code token} is null here).
 */
public record InvitationCreated(Invitation invitation, String token) {

  /** The same invitation once its token has gone to the invitee directly. */
  InvitationCreated delivered() {
    return new InvitationCreated(invitation, null);
  }

  /** The contract's {@code InvitationCreated}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("invitation", invitation.toJson())
        .put("delivery", token == null ? "email" : "returned");
    if (token != null) {
      json.put("token", token);
    }
    return json;
  }
}
