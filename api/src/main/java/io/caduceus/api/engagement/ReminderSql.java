package io.caduceus.api.engagement;

/** The reminder scheduler's SQL, in one place. Per-tenant statements run under the tenant's row-level security. */
final class ReminderSql {

  /** The tenants with reminders or CRM work due at $1, looking $2 minutes ahead; run across tenants. */
  static final String TENANTS = """
      SELECT {schema}.reminder_tenants($1, $2) AS tenant_id
      UNION SELECT {schema}.crm_due_tenants($1) AS tenant_id
      """;

  /**
   * The booked appointments starting after $1 within the largest offset ($3 minutes), each with its practitioner's
   * name, its facility's own time zone (null: none, or the tenant's) and the smallest of the offsets ($2) already
   * reached (null: none yet).
   */
  static final String APPOINTMENTS = """
      SELECT a.id, a.patient_id, a.starts_at, pr.given_name, pr.family_name, f.time_zone,
        (SELECT min(o) FROM unnest($2::int[]) o WHERE a.starts_at - o * interval '1 minute' <= $1) AS due_offset
      FROM appointment a
      JOIN practitioner pr ON pr.tenant_id = a.tenant_id AND pr.id = a.practitioner_id
      LEFT JOIN facility f ON f.tenant_id = a.tenant_id AND f.id = a.facility_id
      WHERE a.status = 'booked' AND a.deleted_at IS NULL AND a.starts_at > $1
        AND a.starts_at <= $1 + $3 * interval '1 minute'
      """;

  /**
   * The virtual visits not yet checked in that start after $1 and within $2 minutes, each with its clinician's
   * name and its facility's own time zone, if it names one (the "your visit starts soon" notice).
   */
  static final String VIRTUAL_VISITS = """
      SELECT s.id, s.patient_id, a.starts_at, pr.given_name, pr.family_name, f.time_zone
      FROM telehealth_session s
      JOIN appointment a ON a.tenant_id = s.tenant_id AND a.id = s.appointment_id
      JOIN practitioner pr ON pr.tenant_id = s.tenant_id AND pr.id = s.practitioner_id
      LEFT JOIN facility f ON f.tenant_id = a.tenant_id AND f.id = a.facility_id
      WHERE s.status = 'scheduled' AND a.status = 'booked' AND a.deleted_at IS NULL AND a.starts_at > $1
        AND a.starts_at <= $1 + $2 * interval '1 minute'
      """;

  /** The time zone of facility $1 (null: the tenant's own). */
  static final String FACILITY_ZONE = "SELECT time_zone FROM facility WHERE id = $1";

  /** The dispensed incoming prescriptions with a refill left whose supply runs out within $2 days of $1. */
  static final String REFILLS = """
      SELECT id, patient_id, fills
      FROM prescription
      WHERE direction = 'incoming' AND status = 'dispensed' AND fills <= refills
        AND last_filled_at + (days_supply - $2) * interval '1 day' <= $1
      """;

  private ReminderSql() {
  }
}
