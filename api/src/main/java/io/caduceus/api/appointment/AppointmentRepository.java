package io.caduceus.api.appointment;

import io.caduceus.api.paging.VersionRange;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/** Appointment rows. Every method runs on a connection {@code TenantDb} opened for the caller's tenant. */
final class AppointmentRepository {

  /**
   * Books the slot as {@code id}, holding its practitioner as {@code rules} say; empty when the patient is not live or
   * the practitioner not active.
   */
  Future<Optional<Appointment>> book(SqlConnection conn, TenantContext ctx, UUID id, Slot slot, SchedulingRules rules) {
    return conn.preparedQuery(AppointmentSql.BOOK).execute(Tuple.from(new Object[] {ctx.tenantId().value(), id,
            slot.patientId(), slot.practitionerId(), utc(slot.start()), utc(slot.end()), slot.reason(),
            ctx.userId(), slot.modality(), slot.facilityId(), slot.roomId(), utc(rules.heldUntil(slot.end())),
            rules.maxPerSlot()}))
        .map(rows -> Rows.optional(rows, Appointment::fromRow));
  }

  /** Whether a live patient has this id. */
  Future<Boolean> patientExists(SqlConnection conn, UUID patientId) {
    return conn.preparedQuery(AppointmentSql.PATIENT_EXISTS).execute(Tuple.of(patientId))
        .map(rows -> rows.size() > 0);
  }

  Future<Optional<Appointment>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(AppointmentSql.FIND).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Appointment::fromRow));
  }

  /** A live appointment's versions in the range, newest first ({@link AppointmentSql#VERSIONS}). */
  Future<List<Appointment>> versions(SqlConnection conn, UUID id, VersionRange range) {
    return conn.preparedQuery(AppointmentSql.VERSIONS).execute(Tuple.of(id, range.below(),
            range.since() == null ? null : utc(range.since()), range.limit()))
        .map(rows -> Rows.list(rows, Appointment::fromRow));
  }

  /** The appointment, locked for the rest of the transaction. */
  Future<Optional<Appointment>> findForUpdate(SqlConnection conn, UUID id) {
    return conn.preparedQuery(AppointmentSql.FIND_FOR_UPDATE).execute(Tuple.of(id))
        .map(rows -> Rows.optional(rows, Appointment::fromRow));
  }

  /** Moves the appointment at {@code version} to {@code slot}; empty when its practitioner is not active. */
  Future<Optional<Appointment>> reschedule(SqlConnection conn, TenantContext ctx, UUID id, int version, Slot slot,
                                          SchedulingRules rules) {
    return conn.preparedQuery(AppointmentSql.RESCHEDULE).execute(Tuple.from(new Object[] {id, version,
            slot.practitionerId(), utc(slot.start()), utc(slot.end()), slot.reason(), ctx.userId(), slot.facilityId(),
            slot.roomId(), utc(rules.heldUntil(slot.end())), rules.maxPerSlot()}))
        .map(rows -> Rows.optional(rows, Appointment::fromRow));
  }

  /** Sets the status of the appointment at {@code version}; empty if it is no longer at that version. */
  Future<Optional<Appointment>> setStatus(SqlConnection conn, TenantContext ctx, UUID id, int version,
                                          AppointmentStatus status, String reason) {
    return conn.preparedQuery(AppointmentSql.SET_STATUS)
        .execute(Tuple.of(id, version, status.wire(), reason, ctx.userId()))
        .map(rows -> Rows.optional(rows, Appointment::fromRow));
  }

  /** Marks a live appointment deleted; empty if there is none. */
  Future<Optional<Appointment>> delete(SqlConnection conn, TenantContext ctx, UUID id) {
    return conn.preparedQuery(AppointmentSql.DELETE).execute(Tuple.of(id, ctx.userId()))
        .map(rows -> Rows.optional(rows, Appointment::fromRow));
  }

  /**
   * Up to {@code limit} appointments matching {@code q} by start time, after ({@code afterAt}, {@code afterId}); a
   * listing by room or by facility is its own statement, which walks that index.
   */
  Future<List<Appointment>> list(SqlConnection conn, AppointmentQuery q, Instant afterAt, UUID afterId, int limit) {
    Tuple args = Tuple.from(new Object[] {q.practitionerId(), q.patientId(),
        q.status() == null ? null : q.status().wire(), utc(q.from()), utc(q.to()), utc(afterAt), afterId, limit});
    String sql = AppointmentSql.LIST;
    if (q.roomId() != null || q.facilityId() != null) {
      args.addValue(q.facilityId()).addValue(q.roomId());
      sql = q.roomId() != null ? AppointmentSql.LIST_IN_ROOM : AppointmentSql.LIST_AT_FACILITY;
    }
    return conn.preparedQuery(sql).execute(args).map(rows -> Rows.list(rows, Appointment::fromRow));
  }

  /** Up to two of the open facilities {@code practitionerId} serves: enough to tell none, one and several apart. */
  Future<List<UUID>> servedFacilities(SqlConnection conn, UUID practitionerId) {
    return conn.preparedQuery(AppointmentSql.SERVED_FACILITIES).execute(Tuple.of(practitionerId))
        .map(rows -> Rows.list(rows, row -> row.getUUID("facility_id")));
  }

  /** The facility of {@code slot} as its booking sees it; empty when the tenant has no such facility. */
  Future<Optional<VisitPlace>> place(SqlConnection conn, Slot slot) {
    return conn.preparedQuery(AppointmentSql.PLACE)
        .execute(Tuple.of(slot.facilityId(), slot.practitionerId(), slot.roomId()))
        .map(rows -> Rows.optional(rows, VisitPlace::fromRow));
  }

  /** The user {@code practitionerId} is (null: none) and the own time zone of {@code facilityId} (null: none). */
  Future<io.vertx.sqlclient.Row> schedulingSubjects(SqlConnection conn, UUID practitionerId, UUID facilityId) {
    return conn.preparedQuery(AppointmentSql.SCHEDULING_SUBJECTS).execute(Tuple.of(practitionerId, facilityId))
        .map(rows -> rows.iterator().next());
  }

  /** The time zone of a facility: empty when it has none of its own (or there is no such facility). */
  Future<Optional<String>> facilityZone(SqlConnection conn, UUID facilityId) {
    return conn.preparedQuery(AppointmentSql.FACILITY_ZONE).execute(Tuple.of(facilityId))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.ofNullable(rows.iterator().next().getString("time_zone")));
  }

  /** A page of a FHIR search (see {@link AppointmentSql#search}). */
  Future<List<Appointment>> search(SqlConnection conn, AppointmentSearch q, Instant afterAt, UUID afterId, int limit) {
    Map<AppointmentSql.SearchFilter, List<Object>> filters = filters(q);
    if (afterAt != null) {
      filters.put(q.descending() ? AppointmentSql.SearchFilter.AFTER_DESCENDING : AppointmentSql.SearchFilter.AFTER,
          List.of(utc(afterAt), afterId));
    }
    Tuple args = Tuple.tuple();
    filters.values().forEach(values -> values.forEach(args::addValue));
    return conn.preparedQuery(AppointmentSql.search(shape(filters), q.descending())).execute(args.addInteger(limit))
        .map(rows -> Rows.list(rows, Appointment::fromRow));
  }

  /** How many appointments a FHIR search matches. */
  Future<Integer> count(SqlConnection conn, AppointmentSearch q) {
    Map<AppointmentSql.SearchFilter, List<Object>> filters = filters(q);
    Tuple args = Tuple.tuple();
    filters.values().forEach(values -> values.forEach(args::addValue));
    return conn.preparedQuery(AppointmentSql.count(shape(filters))).execute(args)
        .map(rows -> (int) rows.iterator().next().getLong(0).longValue());
  }

  private static Set<AppointmentSql.SearchFilter> shape(Map<AppointmentSql.SearchFilter, List<Object>> filters) {
    return filters.isEmpty() ? EnumSet.noneOf(AppointmentSql.SearchFilter.class) : EnumSet.copyOf(filters.keySet());
  }

  private static Map<AppointmentSql.SearchFilter, List<Object>> filters(AppointmentSearch q) {
    Map<AppointmentSql.SearchFilter, List<Object>> filters = new EnumMap<>(AppointmentSql.SearchFilter.class);
    if (q.ids() != null) {
      filters.put(AppointmentSql.SearchFilter.IDS, List.of((Object) q.ids().toArray(UUID[]::new)));
    }
    if (q.patients() != null) {
      filters.put(AppointmentSql.SearchFilter.PATIENTS, List.of((Object) q.patients().toArray(UUID[]::new)));
    }
    if (q.practitioners() != null) {
      filters.put(AppointmentSql.SearchFilter.PRACTITIONERS,
          List.of((Object) q.practitioners().toArray(UUID[]::new)));
    }
    if (q.facilities() != null && q.facilities().size() == 1) {
      filters.put(AppointmentSql.SearchFilter.FACILITY, List.of(q.facilities().iterator().next()));
    } else if (q.facilities() != null) {
      filters.put(AppointmentSql.SearchFilter.FACILITIES, List.of((Object) q.facilities().toArray(UUID[]::new)));
    }
    if (q.statuses() != null) {
      filters.put(AppointmentSql.SearchFilter.STATUSES,
          List.of((Object) q.statuses().stream().map(AppointmentStatus::wire).toArray(String[]::new)));
    }
    if (q.from() != null) {
      filters.put(AppointmentSql.SearchFilter.FROM, List.of(utc(q.from())));
    }
    if (q.before() != null) {
      filters.put(AppointmentSql.SearchFilter.BEFORE, List.of(utc(q.before())));
    }
    if (q.updatedFrom() != null) {
      filters.put(AppointmentSql.SearchFilter.UPDATED_FROM, List.of(utc(q.updatedFrom())));
    }
    if (q.updatedBefore() != null) {
      filters.put(AppointmentSql.SearchFilter.UPDATED_BEFORE, List.of(utc(q.updatedBefore())));
    }
    return filters;
  }
}
