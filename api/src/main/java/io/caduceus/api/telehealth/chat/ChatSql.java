package io.caduceus.api.telehealth.chat;

import io.caduceus.routing.Keyset;

/** The chat's SQL, in one place. Every statement runs under the tenant's (and a patient's) row-level security. */
final class ChatSql {

  /** Stores a message once per sender and clientId: a resend inserts nothing (and {@link #SENT} finds it). */
  static final String INSERT = """
      INSERT INTO telehealth_message (tenant_id, id, session_id, patient_id, sender_user_id, sender_role,
        sender_name, client_id, body)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT ON CONSTRAINT telehealth_message_once DO NOTHING
      RETURNING %s""".formatted(ChatMessage.COLUMNS);

  /** The message a sender already sent under a clientId. */
  static final String SENT = """
      SELECT %s
      FROM telehealth_message
      WHERE session_id = $1 AND sender_user_id = $2 AND client_id = $3""".formatted(ChatMessage.COLUMNS);

  /** One message of the session. */
  static final String ONE = """
      SELECT %s
      FROM telehealth_message
      WHERE session_id = $1 AND id = $2""".formatted(ChatMessage.COLUMNS);

  /** A page of the session's messages in the order they were written, after a position. */
  static final String PAGE = """
      SELECT %s
      FROM telehealth_message
      WHERE session_id = $1 AND %s
      ORDER BY created_at, id
      LIMIT $4""".formatted(ChatMessage.COLUMNS, Keyset.after("created_at", "id", 2, 3));

  /** The session's latest messages, newest first. */
  static final String LATEST = """
      SELECT %s
      FROM telehealth_message
      WHERE session_id = $1
      ORDER BY created_at DESC, id DESC
      LIMIT $2""".formatted(ChatMessage.COLUMNS);

  private ChatSql() {
  }
}
