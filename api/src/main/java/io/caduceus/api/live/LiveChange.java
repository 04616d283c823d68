package io.caduceus.api.live;

import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.UUID;

/**
 * A change that connected clients may be watching: which tenant, what kind of change, which telehealth session and
 * whose waiting room. Ids only, never PHI: a node that receives it reads the current state again, as each watching
 * client, under that client's own permissions.
 *
 * @param topic          {@code session} (a session's state changed, so did its clinician's and the tenant's
 *                       waiting rooms) or {@code chat} (a message was added to the session)
 * @param practitionerId the clinician of the session, whose waiting room may have changed
 */
public record LiveChange(UUID tenantId, String topic, UUID sessionId, UUID practitionerId) {

  public static final String SESSION = "session";
  public static final String CHAT = "chat";

  public LiveChange {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(practitionerId, "practitionerId");
  }

  /** The NOTIFY payload. */
  public String encode() {
    return new JsonObject().put("t", tenantId.toString()).put("k", topic).put("s", sessionId.toString())
        .put("p", practitionerId.toString()).encode();
  }

  /** The change a NOTIFY payload carries. */
  public static LiveChange decode(String payload) {
    JsonObject json = new JsonObject(payload);
    return new LiveChange(UUID.fromString(json.getString("t")), json.getString("k"),
        UUID.fromString(json.getString("s")), UUID.fromString(json.getString("p")));
  }
}
