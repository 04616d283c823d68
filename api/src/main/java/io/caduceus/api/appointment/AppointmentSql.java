package io.caduceus.api.appointment;

import io.caduceus.routing.Keyset;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The appointment repository's SQL, in one place. */
final class AppointmentSql {

  // A virtual visit's session is read with it (one index probe per row, by the session's unique appointment).
  static final String COLUMNS = """
      id, patient_id, practitioner_id, starts_at, ends_at, status, reason, status_reason, version, created_at,
      updated_at, modality, facility_id, room_id, (SELECT s.id FROM telehealth_session s
        WHERE s.tenant_id = appointment.tenant_id AND s.appointment_id = appointment.id) AS session_id""";

  /**
   * The lowest of the practitioner's {@code $max} seats no other held visit ({@code $id}'s own excepted) holds
   * during [{@code $start}, {@code $held}); seat 0 when all are taken, which appointment_no_double_booking then
   * refuses (V39). Placeholders: practitioner, id, start, held until, max.
   */
  private static final String SEAT = """
      COALESCE((SELECT min(s.seat) FROM generate_series(0, %5$s::int - 1) s(seat) WHERE NOT EXISTS (
        SELECT 1 FROM appointment o WHERE o.practitioner_id = %1$s AND o.seat = s.seat AND o.id <> %2$s
          AND o.deleted_at IS NULL
          AND (o.status IN ('booked', 'checked_in') OR (o.status = 'fulfilled' AND o.overlap_allowed IS NOT TRUE))
          AND tstzrange(o.starts_at, COALESCE(o.held_until, o.ends_at)) && tstzrange(%3$s, %4$s))), 0)::smallint""";

  /**
   * Books only for a live patient and an active practitioner of this tenant (both checked under RLS); $12 is until
   * when the visit holds its practitioner, $13 how many of its visits may overlap.
   */
  static final String BOOK = """
      INSERT INTO appointment
        (tenant_id, id, patient_id, practitioner_id, starts_at, ends_at, reason, created_by, updated_by, modality,
         facility_id, room_id, held_until, seat)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $10, $11, $12, %s
      WHERE EXISTS (SELECT 1 FROM patient WHERE id = $3 AND deleted_at IS NULL)
        AND EXISTS (SELECT 1 FROM practitioner WHERE id = $4 AND active)
      RETURNING %s""".formatted(SEAT.formatted("$4", "$2", "$5::timestamptz", "$12::timestamptz", "$13"), COLUMNS);

  static final String PATIENT_EXISTS = "SELECT 1 FROM patient WHERE id = $1 AND deleted_at IS NULL";

  static final String FIND = "SELECT " + COLUMNS + " FROM appointment WHERE id = $1 AND deleted_at IS NULL";

  /**
   * A live appointment's versions, newest first: the row's own (the current version), then the earlier ones V27's
   * trigger copied into appointment_version, read back as appointment rows; below $2, written at or after $3 (null:
   * any), at most $4.
   */
  static final String VERSIONS = """
      SELECT * FROM (
        SELECT %1$s FROM appointment WHERE id = $1 AND deleted_at IS NULL
        UNION ALL
        SELECT %1$s FROM (SELECT (jsonb_populate_record(NULL::appointment, v.snapshot)).* FROM appointment_version v
          WHERE v.appointment_id = $1 AND v.version < $2
            AND EXISTS (SELECT 1 FROM appointment l WHERE l.id = $1 AND l.deleted_at IS NULL)) appointment
      ) x
      WHERE version < $2 AND ($3::timestamptz IS NULL OR updated_at >= $3)
      ORDER BY version DESC
      LIMIT $4""".formatted(COLUMNS);

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  /** As {@link #BOOK}: $10 is until when the visit holds its practitioner, $11 how many of its visits may overlap. */
  static final String RESCHEDULE = """
      UPDATE appointment
      SET practitioner_id = $3, starts_at = $4, ends_at = $5, reason = $6, updated_by = $7, updated_at = now(),
        version = version + 1, facility_id = $8, room_id = $9, held_until = $10, seat = %s
      WHERE id = $1
        AND version = $2
        AND deleted_at IS NULL
        AND EXISTS (SELECT 1 FROM practitioner WHERE id = $3 AND active)
      RETURNING %s""".formatted(SEAT.formatted("$3", "$1", "$4::timestamptz", "$10::timestamptz", "$11"), COLUMNS);

  /** The user a practitioner is (null: none) and the time zone of a facility (null: none of its own, or no $2). */
  static final String SCHEDULING_SUBJECTS = """
      SELECT (SELECT user_id FROM practitioner WHERE id = $1) AS user_id,
        (SELECT time_zone FROM facility WHERE id = $2) AS time_zone""";

  static final String SET_STATUS = """
      UPDATE appointment
      SET status = $3, status_reason = $4, updated_by = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(COLUMNS);

  static final String DELETE = """
      UPDATE appointment
      SET deleted_at = now(), updated_by = $2, updated_at = now(), version = version + 1
      WHERE id = $1 AND deleted_at IS NULL
      RETURNING %s""".formatted(COLUMNS);

  static final String LIST = """
      SELECT %s
      FROM appointment
      WHERE deleted_at IS NULL
        AND ($1::uuid IS NULL OR practitioner_id = $1)
        AND ($2::uuid IS NULL OR patient_id = $2)
        AND ($3::text IS NULL OR status = $3)
        AND starts_at >= CASE WHEN $4::timestamptz IS NULL THEN '-infinity' ELSE $4::timestamptz END
        AND starts_at < CASE WHEN $5::timestamptz IS NULL THEN 'infinity' ELSE $5::timestamptz END
        AND %s
      ORDER BY starts_at, id
      LIMIT $8""".formatted(COLUMNS, Keyset.after("starts_at", "id", 6, 7));

  /**
   * The listing at one facility ($9), optionally in one of its rooms ($10), bound as {@link #LIST} then those two: its
   * own statement, so the generic plan walks appointment_by_facility from the cursor (a front desk's day at one site
   * reads that site's rows only).
   */
  static final String LIST_AT_FACILITY = LIST.replace("ORDER BY",
      "AND facility_id = $9 AND ($10::uuid IS NULL OR room_id = $10)\n      ORDER BY");

  /** The listing in one room ($10), bound as {@link #LIST_AT_FACILITY}: it walks appointment_by_room. */
  static final String LIST_IN_ROOM = LIST.replace("ORDER BY",
      "AND room_id = $10 AND ($9::uuid IS NULL OR facility_id = $9)\n      ORDER BY");

  /** Whether the tenant has an active facility (a visit in person must then name one). */
  static final String SERVED_FACILITIES = """
      SELECT pf.facility_id FROM practitioner_facility pf
      JOIN facility f ON f.tenant_id = pf.tenant_id AND f.id = pf.facility_id AND f.status = 'active'
      WHERE pf.practitioner_id = $1
      LIMIT 2""";

  /**
   * Facility $1 as a booking there sees it: its status, whether practitioner $2 is active and serves it, and the
   * facility and status of room $3 (null when no room is named or none has that id).
   */
  static final String PLACE = """
      SELECT f.status AS facility_status,
        EXISTS (SELECT 1 FROM practitioner p WHERE p.id = $2 AND p.active) AS practitioner_active,
        EXISTS (SELECT 1 FROM practitioner_facility pf WHERE pf.practitioner_id = $2 AND pf.facility_id = f.id)
          AS served,
        r.facility_id AS room_facility, r.status AS room_status
      FROM facility f
      LEFT JOIN room r ON r.id = $3::uuid
      WHERE f.id = $1
      """;

  /** The time zone of facility $1 (null: the tenant's own). */
  static final String FACILITY_ZONE = "SELECT time_zone FROM facility WHERE id = $1";

  /** The filters of a FHIR search, each with its parameters written {@code $}; a statement has them in this order. */
  enum SearchFilter {
    IDS("id = ANY ($::uuid[])"),
    PATIENTS("patient_id = ANY ($::uuid[])"),
    PRACTITIONERS("practitioner_id = ANY ($::uuid[])"),
    /**
     * One facility (a FHIR search by one location, the common case): a plain equality, so the generic plan walks
     * appointment_by_facility in start order, as the /v1 listing at a facility does; {@code = ANY} of an array
     * walks appointment_by_start and filters.
     */
    FACILITY("facility_id = $::uuid"),
    FACILITIES("facility_id = ANY ($::uuid[])"),
    STATUSES("status = ANY ($::text[])"),
    FROM("starts_at >= $"),
    BEFORE("starts_at < $"),
    UPDATED_FROM("updated_at >= $"),
    UPDATED_BEFORE("updated_at < $"),
    /** The keyset cursor in start order. */
    AFTER("(starts_at, id) > ($::timestamptz, $::uuid)"),
    /** The keyset cursor in reverse start order. */
    AFTER_DESCENDING("(starts_at, id) < ($::timestamptz, $::uuid)");

    private final String condition;

    SearchFilter(String condition) {
      this.condition = condition;
    }
  }

  private static final Map<String, String> SEARCHES = new ConcurrentHashMap<>();

  /**
   * A FHIR search page with these filters, their values bound in {@link SearchFilter} order, then the limit. Each
   * shape is its own statement (no "{@code $n IS NULL OR}" branches), so the patient, practitioner, facility and
   * start indexes ({@code appointment_by_patient}, {@code _by_practitioner}, {@code _by_facility}, {@code _by_start})
   * serve it in either direction.
   */
  static String search(Set<SearchFilter> filters, boolean descending) {
    return SEARCHES.computeIfAbsent(filters + "|" + descending, key -> {
      String where = where(filters);
      String order = descending ? "starts_at DESC, id DESC" : "starts_at, id";
      return "SELECT " + COLUMNS + " FROM appointment WHERE deleted_at IS NULL" + where + " ORDER BY " + order
          + " LIMIT $" + (where.chars().filter(c -> c == '$').count() + 1);
    });
  }

  /** How many appointments match these filters (FHIR's {@code _summary=count}), bound as {@link #search}'s. */
  static String count(Set<SearchFilter> filters) {
    return SEARCHES.computeIfAbsent(filters + "|count",
        key -> "SELECT count(*) FROM appointment WHERE deleted_at IS NULL" + where(filters));
  }

  private static String where(Set<SearchFilter> filters) {
    StringBuilder where = new StringBuilder();
    int param = 0;
    for (SearchFilter filter : SearchFilter.values()) {
      if (filters.contains(filter)) {
        where.append(" AND ");
        for (char c : filter.condition.toCharArray()) {
          where.append(c);
          if (c == '$') {
            where.append(++param);
          }
        }
      }
    }
    return where.toString();
  }

  private AppointmentSql() {
  }
}
