package io.caduceus.api.telehealth.chat;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.http.StorableText;
import io.caduceus.api.live.LiveChange;
import io.caduceus.api.live.LiveChanges;
import io.caduceus.api.live.TelehealthViews;
import io.caduceus.api.live.TelehealthViews.ChatSeat;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The chat inside a telehealth session, over REST and the live socket alike. Who may read and write is the
 * session's patient and clinician ({@link TelehealthViews#chatSeat}: a receptionist is refused, anyone who cannot see
 * the session gets 404); writing needs the session open. A message is stored once per sender and clientId, and
 * announced to live subscribers ({@link LiveChange#CHAT}) in the transaction that stores it. The chat stays
 * readable after the session ends, as part of the visit's record.
 */
public final class ChatService {

  /** The longest message body, in characters (the contract says the same). */
  public static final int MAX_BODY = 4000;
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

  private final TenantDb db;
  private final TelehealthViews views;
  private final Cursors cursors;
  private final ChatRepository messages = new ChatRepository();

  public ChatService(TenantDb db, TelehealthViews views, Cursors cursors) {
    this.db = db;
    this.views = views;
    this.cursors = cursors;
  }

  /**
   * Sends a message as {@code ctx}, or answers the one it already sent under {@code clientId}; completes once the
   * message has committed.
   */
  public Future<ChatMessage> send(TenantContext ctx, UUID sessionId, String clientId, String body) {
    try {
      validate(clientId, body);
    } catch (Invalid e) {
      return Future.failedFuture(e);
    }
    return db.inTenantTransaction(ctx, (conn, joined) -> views.chatSeat(joined, sessionId).compose(seat -> {
      ctx.audit().patient(seat.patientId());
      return messages.sent(conn, sessionId, ctx.userId(), clientId).compose(earlier -> earlier.isPresent()
          ? Future.succeededFuture(earlier.get())
          : write(conn, ctx, seat, clientId, body))
          // Named before the commit, which writes the record.
          .onSuccess(m -> ctx.audit().about(m.id()));
    }));
  }

  private Future<ChatMessage> write(SqlConnection conn, TenantContext ctx, ChatSeat seat,
                                    String clientId, String body) {
    if (!seat.open()) {
      return Future.failedFuture(new Conflict("the session is over; its chat takes no new messages"));
    }
    return messages.insert(conn, seat, ctx.userId(), clientId, body)
        .compose(stored -> stored.isPresent() ? Future.succeededFuture(stored.get())
            // Sent concurrently under the same clientId: the other insert won.
            : messages.sent(conn, seat.sessionId(), ctx.userId(), clientId).map(found -> found.orElseThrow()))
        .compose(m -> LiveChanges.publish(conn, new LiveChange(ctx.tenantId().value(), LiveChange.CHAT,
            seat.sessionId(), seat.practitionerId())).map(m));
  }

  /** A page of the session's messages, oldest first. */
  public Future<Page<ChatMessage>> list(TenantContext ctx, UUID sessionId, int limit, String cursor) {
    String filters = sessionId.toString();
    return views.chatSeat(ctx, sessionId).compose(seat -> {
      ctx.audit().patient(seat.patientId());
      Position after = cursors.after(ctx, "telehealth-messages", filters, cursor);
      return db.once(ctx, conn -> messages.page(conn, sessionId, after, limit + 1));
    }).map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "telehealth-messages", filters,
        last.createdAt(), last.id())));
  }

  /** One message of the session's chat. */
  public Future<ChatMessage> get(TenantContext ctx, UUID sessionId, UUID messageId) {
    return views.chatSeat(ctx, sessionId).compose(seat -> {
      ctx.audit().patient(seat.patientId());
      return db.once(ctx, conn -> messages.find(conn, sessionId, messageId));
    }).map(found -> found.orElseThrow(() -> new NotFound("no such message")));
  }

  /** The session's latest {@code limit} messages, oldest first (what a live subscriber is shown). */
  public Future<List<ChatMessage>> latest(TenantContext ctx, UUID sessionId, int limit) {
    return views.chatSeat(ctx, sessionId).compose(seat -> {
      ctx.audit().patient(seat.patientId());
      return db.once(ctx, conn -> messages.latest(conn, sessionId, limit));
    }).map(newestFirst -> {
      List<ChatMessage> ordered = new ArrayList<>(newestFirst);
      Collections.reverse(ordered);
      return ordered;
    });
  }

  private static void validate(String clientId, String body) {
    if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
      throw new Invalid("/clientId", "is required: 1 to 100 letters, digits or . _ : -");
    }
    if (body == null || body.isBlank() || body.length() > MAX_BODY) {
      throw new Invalid("/body", "is required: 1 to " + MAX_BODY + " characters, not only spaces");
    }
    StorableText.require("/body", body);
  }
}
