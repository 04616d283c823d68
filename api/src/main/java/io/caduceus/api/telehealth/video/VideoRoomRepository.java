package io.caduceus.api.telehealth.video;

import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;


/** The rooms the tenant's sessions opened, at its provider or in the sandbox: when opened and when completed. */
final class VideoRoomRepository {

  /** Records {@code room} as open, or answers the room already open under its name. */
  Future<VideoRoom> open(SqlConnection conn, VideoRoom room, int maxParticipants) {
    return conn.preparedQuery(VideoSql.OPEN_ROOM)
        .execute(Tuple.of(room.uniqueName(), room.provider(), room.sid(), maxParticipants))
        .map(rows -> room(rows.iterator().next()));
  }

  /**
   * Records {@code room}, the one the provider holds open under its name: a record of an earlier room of that name
   * still marked open (the provider ended it while no status callback reached us) is closed first.
   */
  Future<VideoRoom> held(SqlConnection conn, VideoRoom room, int maxParticipants) {
    return conn.preparedQuery(VideoSql.SUPERSEDE_ROOM).execute(Tuple.of(room.uniqueName(), room.sid()))
        .compose(v -> open(conn, room, maxParticipants));
  }

  /** Records the room completed; completing it again changes nothing. */
  Future<Void> complete(SqlConnection conn, String sid) {
    return conn.preparedQuery(VideoSql.COMPLETE_ROOM).execute(Tuple.of(sid)).mapEmpty();
  }

  /** Records that the provider was asked to disconnect {@code identity} from the room. */
  Future<Void> disconnected(SqlConnection conn, VideoRoom room, String identity) {
    return conn.preparedQuery(VideoSql.RECORD_DISCONNECT)
        .execute(Tuple.of(UuidV7.next(), room.provider(), room.sid(), identity)).mapEmpty();
  }

  private static VideoRoom room(Row row) {
    return new VideoRoom(row.getString("provider"), row.getString("room_sid"), row.getString("room_name"));
  }
}
