package io.caduceus.api.engagement;

import io.caduceus.api.sql.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** What the reminder scheduler reminds of, read on the connection {@code TenantDb} opened for the tenant. */
final class ReminderRepository {

  /**
   * A booked appointment ahead, its facility's own time zone (null: none), and the smallest reminder offset (minutes)
   * already reached; null if none is.
   */
  record DueAppointment(UUID id, UUID patientId, Instant start, String practitionerName, String zone,
                        Integer offset) {
  }

  /** A virtual visit about to start whose patient has not checked in yet, and its facility's own zone (or null). */
  record DueVirtualVisit(UUID sessionId, UUID patientId, Instant start, String practitionerName, String zone) {
  }

  /** A prescription whose supply runs out soon, at its {@code fills}-th fill. */
  record DueRefill(UUID id, UUID patientId, int fills) {
  }

  /** The booked appointments within the first of the {@code offsets} (minutes, largest first) after {@code now}. */
  Future<List<DueAppointment>> appointments(SqlConnection conn, Instant now, List<Integer> offsets) {
    return conn.preparedQuery(ReminderSql.APPOINTMENTS)
        .execute(Tuple.of(utc(now), offsets.toArray(Integer[]::new), offsets.get(0)))
        .map(rows -> Rows.list(rows, row -> new DueAppointment(row.getUUID("id"), row.getUUID("patient_id"),
            row.getOffsetDateTime("starts_at").toInstant(), EngagementStaffRepository.name(row),
            row.getString("time_zone"), row.getInteger("due_offset"))));
  }

  /** The virtual visits not checked in that start within {@code minutes} after {@code now}. */
  Future<List<DueVirtualVisit>> virtualVisits(SqlConnection conn, Instant now, int minutes) {
    return conn.preparedQuery(ReminderSql.VIRTUAL_VISITS).execute(Tuple.of(utc(now), minutes))
        .map(rows -> Rows.list(rows, row -> new DueVirtualVisit(row.getUUID("id"), row.getUUID("patient_id"),
            row.getOffsetDateTime("starts_at").toInstant(), EngagementStaffRepository.name(row),
            row.getString("time_zone"))));
  }

  /** The time zone of a facility, when it has one of its own (a visit's time is told in it). */
  Future<Optional<String>> facilityZone(SqlConnection conn, UUID facilityId) {
    return conn.preparedQuery(ReminderSql.FACILITY_ZONE).execute(Tuple.of(facilityId))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.ofNullable(rows.iterator().next().getString("time_zone")));
  }

  /** The prescriptions whose supply runs out within {@code leadDays} of {@code now}. */
  Future<List<DueRefill>> refills(SqlConnection conn, Instant now, int leadDays) {
    return conn.preparedQuery(ReminderSql.REFILLS).execute(Tuple.of(utc(now), leadDays))
        .map(rows -> Rows.list(rows, row -> new DueRefill(row.getUUID("id"), row.getUUID("patient_id"),
            row.getInteger("fills"))));
  }
}
