package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.notifications.engage.Message;
import io.caduceus.notifications.engage.MessageStatus;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.RecipientKind;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The tenant's view of its messages: every message with its history, the dead letters, and requeueing one.
 * Reading a message about a patient is recorded as an access to that patient.
 */
public final class MessageService {

  private final TenantDb db;
  private final Messages messages;
  private final Cursors cursors;
  private final Clock clock;

  public MessageService(TenantDb db, Messages messages, Cursors cursors, Clock clock) {
    this.db = db;
    this.messages = messages;
    this.cursors = cursors;
    this.clock = clock;
  }

  /** One page of messages, newest first. */
  public Future<Page<Message>> list(TenantContext ctx, Messages.Filter filter, int limit, String cursor) {
    String filters = String.valueOf(filter);
    return Access.check(ctx, Permission.MESSAGES_READ)
        .compose(v -> {
          JsonObject after = cursor == null ? null : cursors.open(ctx, "messages", filters, cursor);
          return db.once(ctx, conn -> messages.list(conn, filter,
              after == null ? null : Instant.parse(after.getString("createdAt")),
              after == null ? null : UUID.fromString(after.getString("id")), limit + 1));
        })
        .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "messages", filters,
            new JsonObject().put("createdAt", last.createdAt().toString()).put("id", last.id().toString()))))
        .onSuccess(page -> ctx.audit().patients(patients(page.items())));
  }

  /** One message with its history. */
  public Future<JsonObject> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.MESSAGES_READ)
        .compose(v -> db.inTenant(ctx, conn -> messages.find(conn, id)
            .compose(found -> {
              if (found.isEmpty()) {
                return Future.failedFuture(new NotFound("no such message"));
              }
              return messages.history(conn, id).map(history -> {
                if (found.get().recipientKind() == RecipientKind.PATIENT) {
                  ctx.audit().patient(found.get().recipientId());
                }
                return EngagementJson.detail(found.get(), history);
              });
            })));
  }

  /** Puts a dead message back in the queue with fresh attempts. */
  public Future<Message> requeue(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.MESSAGES_READ)
        .compose(v -> db.inTenant(ctx, conn -> messages.find(conn, id)
            .compose(found -> found.isEmpty() ? Future.failedFuture(new NotFound("no such message"))
                : messages.requeue(conn, id, "requeued by " + ctx.userId(), clock.instant()))
            .compose(done -> done ? messages.find(conn, id).map(m -> m.orElseThrow())
                : Future.failedFuture(new Conflict("only a dead message can be requeued")))));
  }

  /** The filter of the dead letters. */
  public static Messages.Filter deadLetters() {
    return new Messages.Filter(MessageStatus.DEAD, null, null, null, null);
  }

  private static List<UUID> patients(List<Message> found) {
    return found.stream().filter(m -> m.recipientKind() == RecipientKind.PATIENT).map(Message::recipientId).distinct()
        .toList();
  }
}
