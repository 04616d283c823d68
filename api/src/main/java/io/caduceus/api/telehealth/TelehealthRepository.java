package io.caduceus.api.telehealth;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Telehealth settings and sessions; it runs on the connection {@code TenantDb} opened for the caller's tenant. */
final class TelehealthRepository {

  /** The longest waiting room answered in one response. */
  static final int WAITING_ROOM_LIMIT = 200;

  /** A session that followed its appointment: which one, and whose waiting room it leaves. */
  record Followed(UUID sessionId, UUID practitionerId) {
  }

  Future<TelehealthSettings> settings(SqlConnection conn) {
    return conn.preparedQuery(TelehealthSql.SETTINGS).execute()
        .map(rows -> Rows.optional(rows, TelehealthSettings::fromRow).orElse(TelehealthSettings.DEFAULTS));
  }

  /** Stores the settings as the tenant's new version. */
  Future<TelehealthSettings> putSettings(SqlConnection conn, TenantContext ctx, TelehealthSettings s) {
    return conn.preparedQuery(TelehealthSql.SETTINGS_PUT).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
            s.virtualVisits(), s.checkInLeadMinutes(), s.maxParticipants(), s.colleaguesMayAdmit(), ctx.userId()}))
        .map(rows -> TelehealthSettings.fromRow(rows.iterator().next()));
  }

  /** Opens the session of a virtual appointment; answers its id. */
  Future<UUID> open(SqlConnection conn, TenantContext ctx, UUID appointmentId, UUID patientId, UUID practitionerId,
                    int maxParticipants) {
    UUID id = UuidV7.next();
    return conn.preparedQuery(TelehealthSql.SESSION_OPEN).execute(Tuple.from(new Object[] {ctx.tenantId().value(),
        id, appointmentId, patientId, practitionerId, maxParticipants, "visit-" + id})).map(id);
  }

  /** The session as {@code ctx}'s user sees it; empty if it is not visible. */
  Future<Optional<TelehealthSession>> find(SqlConnection conn, TenantContext ctx, UUID id) {
    return conn.preparedQuery(TelehealthSql.SESSION).execute(Tuple.of(id, ctx.userId()))
        .map(rows -> Rows.optional(rows, TelehealthSession::fromRow));
  }

  /** {@link #find}, locking the session for the rest of the transaction. */
  Future<Optional<TelehealthSession>> lock(SqlConnection conn, TenantContext ctx, UUID id) {
    return conn.preparedQuery(TelehealthSql.SESSION_FOR_UPDATE).execute(Tuple.of(id, ctx.userId()))
        .map(rows -> Rows.optional(rows, TelehealthSession::fromRow));
  }

  Future<Void> checkIn(SqlConnection conn, UUID id, String location) {
    return conn.preparedQuery(TelehealthSql.CHECK_IN).execute(Tuple.of(id, location)).mapEmpty();
  }

  /** Admits the patient into the room opened for {@code maxParticipants}. */
  Future<Void> admit(SqlConnection conn, UUID id, UUID by, String provider, String roomSid, int maxParticipants) {
    return conn.preparedQuery(TelehealthSql.ADMIT).execute(Tuple.of(id, by, provider, roomSid, maxParticipants))
        .mapEmpty();
  }

  Future<Void> end(SqlConnection conn, UUID id, UUID by) {
    return conn.preparedQuery(TelehealthSql.END).execute(Tuple.of(id, by)).mapEmpty();
  }

  Future<Void> setStatus(SqlConnection conn, UUID id, SessionStatus status) {
    return conn.preparedQuery(TelehealthSql.SET_STATUS).execute(Tuple.of(id, status.wire())).mapEmpty();
  }

  /** The appointment's open session follows it to {@code practitionerId} and {@code status} (null: unchanged). */
  Future<Optional<Followed>> follow(SqlConnection conn, UUID appointmentId, UUID practitionerId,
                                    SessionStatus status) {
    return conn.preparedQuery(TelehealthSql.FOLLOW)
        .execute(Tuple.of(appointmentId, practitionerId, status == null ? null : status.wire()))
        .map(rows -> Rows.optional(rows, row -> new Followed(row.getUUID("id"), row.getUUID("practitioner_id"))));
  }

  /** The status of the appointment's session, if it has one. */
  Future<Optional<SessionStatus>> statusOf(SqlConnection conn, UUID appointmentId) {
    return conn.preparedQuery(TelehealthSql.STATUS_OF_APPOINTMENT).execute(Tuple.of(appointmentId))
        .map(rows -> Rows.optional(rows, row -> SessionStatus.fromWire(row.getString("status"))));
  }

  /**
   * Moves the appointment to {@code status} if it is in one of {@code from}; answers the notice payload of the
   * moved appointment (ids and times, as the appointment's own notices carry), empty if it was in no such state.
   */
  Future<Optional<JsonObject>> moveAppointment(SqlConnection conn, TenantContext ctx, UUID appointmentId,
                                               String status, List<String> from) {
    return conn.preparedQuery(TelehealthSql.APPOINTMENT_STATUS)
        .execute(Tuple.of(appointmentId, status, ctx.userId(), from.toArray(String[]::new)))
        .map(rows -> Rows.optional(rows, TelehealthRepository::appointmentPayload));
  }

  /** Opens or marks the visit's encounter as a telehealth encounter. */
  Future<Void> virtualEncounter(SqlConnection conn, TenantContext ctx, UUID sessionId) {
    return conn.preparedQuery(TelehealthSql.ENCOUNTER_VIRTUAL).execute(Tuple.of(sessionId, UuidV7.next(),
        ctx.userId())).mapEmpty();
  }

  /** The waiting room of a clinician, or the tenant's ({@code practitionerId} null), in order of arrival. */
  Future<List<WaitingEntry>> waiting(SqlConnection conn, UUID practitionerId) {
    return conn.preparedQuery(TelehealthSql.WAITING).execute(Tuple.of(practitionerId, WAITING_ROOM_LIMIT))
        .map(rows -> Rows.list(rows, WaitingEntry::fromRow));
  }

  private static JsonObject appointmentPayload(Row row) {
    return new JsonObject()
        .put("appointmentId", row.getUUID("id").toString())
        .put("patientId", row.getUUID("patient_id").toString())
        .put("practitionerId", row.getUUID("practitioner_id").toString())
        .put("start", row.getOffsetDateTime("starts_at").toInstant().toString())
        .put("end", row.getOffsetDateTime("ends_at").toInstant().toString())
        .put("status", row.getString("status"))
        .put("modality", row.getString("modality"));
  }
}
