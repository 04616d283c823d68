package io.caduceus.api.telehealth.chat;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * One message of a session's chat: who sent it (the session's patient or clinician, by role and display name) and
 * the sender's own {@code clientId}, under which a resend is the same message.
 */
public record ChatMessage(UUID id, UUID sessionId, UUID patientId, String senderRole, String senderName,
                          String clientId, String body, Instant createdAt) {

  /** The columns {@link #fromRow} reads. */
  static final String COLUMNS = "id, session_id, patient_id, sender_role, sender_name, client_id, body, created_at";

  static ChatMessage fromRow(Row row) {
    return new ChatMessage(row.getUUID("id"), row.getUUID("session_id"), row.getUUID("patient_id"),
        row.getString("sender_role"), row.getString("sender_name"), row.getString("client_id"),
        row.getString("body"), row.getOffsetDateTime("created_at").toInstant());
  }

  /** The contract's {@code TelehealthMessage}. */
  public JsonObject toJson() {
    return new JsonObject().put("id", id.toString()).put("sessionId", sessionId.toString())
        .put("senderRole", senderRole).put("senderName", senderName).put("clientId", clientId).put("body", body)
        .put("createdAt", createdAt.toString());
  }
}
