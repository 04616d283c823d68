package io.caduceus.api.room;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** The {@code /v1/rooms} operations. */
public final class RoomHandlers {

  private final RoomService rooms;
  private final Idempotency idempotency;

  public RoomHandlers(RoomService rooms, Idempotency idempotency) {
    this.rooms = rooms;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("createRoom", this::create);
    ops.bind("listRooms", this::list);
    ops.bind("getRoom", this::get);
    ops.bind("updateRoom", this::update);
  }

  private Future<Reply> create(RoutingContext rc) {
    return idempotency.inTransaction(rc, Requests.tenant(rc), joined -> rooms.create(joined, Requests.body(rc))
        .map(r -> Reply.created("/v1/rooms/" + r.id(), r.toJson(), r.version())));
  }

  private Future<Reply> list(RoutingContext rc) {
    return rooms.list(Requests.tenant(rc), Requests.queryUuid(rc, "facilityId"), Requests.queryString(rc, "status"),
            Requests.queryInt(rc, "limit", 20), Requests.queryString(rc, "cursor"))
        .map(page -> Reply.ok(page.toJson(Room::toJson)));
  }

  private Future<Reply> get(RoutingContext rc) {
    return rooms.get(Requests.tenant(rc), Requests.pathUuid(rc, "roomId")).map(r -> Reply.ok(r.toJson(), r.version()));
  }

  private Future<Reply> update(RoutingContext rc) {
    int version = ETags.required(rc);
    return rooms.update(Requests.tenant(rc), Requests.pathUuid(rc, "roomId"), version, Requests.body(rc))
        .map(r -> Reply.ok(r.toJson(), r.version()));
  }
}
