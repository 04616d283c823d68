package io.caduceus.api.room;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.UUID;

/**
 * The rooms of a tenant's facilities: who holds {@code room.manage} manages rooms, and whoever reads practitioners
 * (staff and patients, to book) reads them. A room stays at its facility; retiring it keeps its past visits and takes
 * no new booking.
 */
public final class RoomService {

  private final TenantDb db;
  private final Cursors cursors;
  private final RoomRepository repository = new RoomRepository();

  public RoomService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** Creates a room at an active facility of the tenant (404 for any other). */
  public Future<Room> create(TenantContext ctx, JsonObject sent) {
    UUID id = UuidV7.next();
    ctx.audit().about(id);
    UUID facilityId = UUID.fromString(sent.getString("facilityId"));
    return Access.check(ctx, Permission.ROOM_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.insert(conn, ctx, id, facilityId, sent.getString("name"),
            sent.getString("kind", "exam"))))
        .map(created -> created.orElseThrow(() -> new NotFound("no such active facility")))
        .recover(RoomService::nameTaken);
  }

  /** One room. */
  public Future<Room> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.PRACTITIONER_READ)
        .compose(v -> db.once(ctx, conn -> repository.find(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such room")));
  }

  /** Renames, changes the kind of, retires or reopens a room, if {@code version} is current. */
  public Future<Room> update(TenantContext ctx, UUID id, int version, JsonObject sent) {
    return Access.check(ctx, Permission.ROOM_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.find(conn, id).compose(found -> {
          Room room = found.orElseThrow(() -> new NotFound("no such room"));
          if (room.version() != version) {
            throw new PreconditionFailed("the room has changed since you read it");
          }
          return repository.update(conn, id, version, sent.getString("name", room.name()),
              sent.getString("kind", room.kind()), sent.getString("status", room.status()));
        })))
        .map(updated -> updated.orElseThrow(() -> new PreconditionFailed("the room has changed")))
        .recover(RoomService::nameTaken);
  }

  /** One page of rooms by name, of one facility and one status when given. */
  public Future<Page<Room>> list(TenantContext ctx, UUID facilityId, String status, int limit, String cursor) {
    String filters = facilityId + "|" + status;
    return Access.check(ctx, Permission.PRACTITIONER_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "rooms", filters, cursor);
      return db.once(ctx, conn -> repository.list(conn, facilityId, status, after == null ? null : after.getString("k"),
              after == null ? null : UUID.fromString(after.getString("id")), limit + 1))
          .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "rooms", filters,
              new JsonObject().put("k", last.name().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
    });
  }

  private static <T> Future<T> nameTaken(Throwable failure) {
    return ConstraintViolation.of(failure, "room_name")
        ? Future.failedFuture(new Conflict("the facility already has a room of that name"))
        : Future.failedFuture(failure);
  }
}
