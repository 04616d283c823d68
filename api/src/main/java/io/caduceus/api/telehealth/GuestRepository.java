package io.caduceus.api.telehealth;

import io.caduceus.api.sql.Rows;
import io.caduceus.api.telehealth.video.VideoRoom;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A session's guests; it runs on the connection {@code TenantDb} opened for the caller's tenant. */
final class GuestRepository {

  /** A guest found by their code or key, with the session's room, clinician and slot end. */
  record Holder(Guest guest, VideoRoom room, UUID practitionerId, Instant slotEnd) {

    static Holder fromRow(Row row) {
      return new Holder(Guest.fromRow(row), new VideoRoom(row.getString("video_provider"), row.getString("room_sid"),
          row.getString("room_name")), row.getUUID("practitioner_id"),
          row.getOffsetDateTime("slot_end").toInstant());
    }
  }

  /** Stores a new guest; {@code codeHash} and {@code codeExpiresAt} are null for a staff guest. */
  Future<Void> insert(SqlConnection conn, UUID id, TelehealthSession s, String kind, UUID userId, String name,
                      byte[] codeHash, Instant codeExpiresAt, UUID invitedBy) {
    return conn.preparedQuery(GuestSql.INSERT).execute(Tuple.from(new Object[] {id, s.id(), s.patientId(), kind,
        userId, name, codeHash == null ? null : Buffer.buffer(codeHash),
        codeExpiresAt == null ? null : codeExpiresAt.atOffset(ZoneOffset.UTC), invitedBy})).mapEmpty();
  }

  Future<Optional<Guest>> find(SqlConnection conn, UUID sessionId, UUID guestId) {
    return conn.preparedQuery(GuestSql.ONE).execute(Tuple.of(sessionId, guestId))
        .map(rows -> Rows.optional(rows, Guest::fromRow));
  }

  Future<List<Guest>> ofSession(SqlConnection conn, UUID sessionId) {
    return conn.preparedQuery(GuestSql.OF_SESSION).execute(Tuple.of(sessionId))
        .map(rows -> Rows.list(rows, Guest::fromRow));
  }

  /** Revokes the guest; false if it was revoked before. */
  Future<Boolean> revoke(SqlConnection conn, UUID sessionId, UUID guestId, UUID by) {
    return conn.preparedQuery(GuestSql.REVOKE).execute(Tuple.of(sessionId, guestId, by))
        .map(rows -> rows.rowCount() > 0);
  }

  Future<Optional<Holder>> byCode(SqlConnection conn, byte[] codeHash) {
    return conn.preparedQuery(GuestSql.BY_CODE).execute(Tuple.of(Buffer.buffer(codeHash)))
        .map(rows -> Rows.optional(rows, Holder::fromRow));
  }

  Future<Optional<Holder>> byKey(SqlConnection conn, byte[] keyHash) {
    return conn.preparedQuery(GuestSql.BY_KEY).execute(Tuple.of(Buffer.buffer(keyHash)))
        .map(rows -> Rows.optional(rows, Holder::fromRow));
  }

  /** Spends the code for the key; false if it was spent or revoked meanwhile, or the visit is no longer on. */
  Future<Boolean> redeem(SqlConnection conn, UUID guestId, byte[] codeHash, byte[] keyHash) {
    return conn.preparedQuery(GuestSql.REDEEM)
        .execute(Tuple.of(guestId, Buffer.buffer(codeHash), Buffer.buffer(keyHash)))
        .map(rows -> rows.rowCount() > 0);
  }

  /** The name of the staff member's practitioner profile in the tenant, if they have one. */
  Future<Optional<String>> staffName(SqlConnection conn, UUID userId) {
    return conn.preparedQuery(GuestSql.STAFF_NAME).execute(Tuple.of(userId)).map(rows -> Rows.optional(rows,
        row -> TelehealthSession.name(row.getString("given_name"), row.getString("family_name"))));
  }
}
