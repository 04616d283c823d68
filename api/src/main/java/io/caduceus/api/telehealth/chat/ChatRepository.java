package io.caduceus.api.telehealth.chat;

import io.caduceus.api.live.TelehealthViews.ChatSeat;
import io.caduceus.api.paging.Position;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** The chat messages of telehealth sessions, on the connection {@code TenantDb} opened for the tenant. */
final class ChatRepository {

  /** Stores the message, or nothing when the sender already sent one under {@code clientId} (empty then). */
  Future<Optional<ChatMessage>> insert(SqlConnection conn, ChatSeat seat, UUID sender, String clientId,
                                       String body) {
    return conn.preparedQuery(ChatSql.INSERT).execute(Tuple.from(new Object[] {UuidV7.next(), seat.sessionId(),
            seat.patientId(), sender, seat.senderRole(), seat.senderName(), clientId, body}))
        .map(rows -> Rows.optional(rows, ChatMessage::fromRow));
  }

  /** The message the sender sent under {@code clientId}. */
  Future<Optional<ChatMessage>> sent(SqlConnection conn, UUID session, UUID sender, String clientId) {
    return conn.preparedQuery(ChatSql.SENT).execute(Tuple.of(session, sender, clientId))
        .map(rows -> Rows.optional(rows, ChatMessage::fromRow));
  }

  /** One message of the session; empty if it has no such message. */
  Future<Optional<ChatMessage>> find(SqlConnection conn, UUID session, UUID id) {
    return conn.preparedQuery(ChatSql.ONE).execute(Tuple.of(session, id))
        .map(rows -> Rows.optional(rows, ChatMessage::fromRow));
  }

  /** Up to {@code limit} messages after {@code after}, oldest first. */
  Future<List<ChatMessage>> page(SqlConnection conn, UUID session, Position after, int limit) {
    return conn.preparedQuery(ChatSql.PAGE).execute(Tuple.of(session,
            utc(after.at()), after.id(), limit))
        .map(rows -> Rows.list(rows, ChatMessage::fromRow));
  }

  /** The latest {@code limit} messages, newest first. */
  Future<List<ChatMessage>> latest(SqlConnection conn, UUID session, int limit) {
    return conn.preparedQuery(ChatSql.LATEST).execute(Tuple.of(session, limit))
        .map(rows -> Rows.list(rows, ChatMessage::fromRow));
  }
}
