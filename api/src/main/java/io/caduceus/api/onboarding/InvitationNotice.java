package io.caduceus.api.onboarding;

import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.notifications.outbox.PermanentFailure;
import io.caduceus.routing.keys.SealBrokenException;
import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.UUID;

/**
 * The outbox notice of a patient invitation, for the engagement engine to email to the address on the patient's
 * record. Its single-use token opens the patient's chart, so it never rests in clear, neither in the outbox nor in
 * a tenant archive made of it: the notice carries the token sealed under the tenant's data key, bound to the
 * invitation, and nothing else secret (the address is read from the record when the mail goes out).
 */
public final class InvitationNotice {

  /** The outbox topic family the engagement intake takes invitation notices from. */
  public static final String FAMILY = "invitation";
  /** The outbox topic of a patient invitation. */
  public static final String TOPIC = "invitation.patient";

  private InvitationNotice() {
  }

  /** The notice of {@code invitation}, whose token is {@code token}. */
  static OutboxMessage of(TenantKeys keys, Invitation invitation, String token) {
    JsonObject payload = new JsonObject().put("invitationId", invitation.id().toString())
        .put("patientId", invitation.patientId().toString())
        .put("sealedToken", Base64.getEncoder().encodeToString(keys.seal(binding(invitation.id()), token)))
        .put("expiresAt", invitation.expiresAt().toString());
    return new OutboxMessage(TOPIC, invitation.id().toString(), payload);
  }

  /** The notice's token, opened in memory; a notice without one (or one the key no longer opens) is dead. */
  public static String token(TenantKeys keys, JsonObject payload) {
    String sealed = payload.getString("sealedToken");
    if (sealed == null) {
      throw new PermanentFailure("the invitation notice carries no sealed token; invite the patient again");
    }
    try {
      return keys.open(binding(UUID.fromString(payload.getString("invitationId"))), Base64.getDecoder().decode(sealed));
    } catch (SealBrokenException e) {
      throw new PermanentFailure("the invitation's token can no longer be opened; invite the patient again");
    }
  }

  private static String binding(UUID invitation) {
    return "invitation.token/" + invitation;
  }
}
