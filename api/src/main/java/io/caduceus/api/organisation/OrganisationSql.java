package io.caduceus.api.organisation;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The organisation's SQL, in one place: facilities, departments, care teams, staff groups and the access policy. */
final class OrganisationSql {

  static final String FACILITY_COLUMNS = "id, name, address, time_zone, status, version, created_at, updated_at";

  static final String FACILITY_INSERT = """
      INSERT INTO facility (tenant_id, id, name, address, time_zone, created_by) VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING %s""".formatted(FACILITY_COLUMNS);

  static final String FACILITY_UPDATE = """
      UPDATE facility SET name = $3, address = $4, time_zone = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(FACILITY_COLUMNS);

  /**
   * The optional filters of a FHIR Location search, in the order their values are bound ({@code %1$d} is the
   * parameter). The name, address and city filters are LIKE prefixes of lower-cased text, filters of the walk of
   * facility_by_name as the listing's keyset is (a tenant has few facilities); the address matches any of its parts.
   */
  enum FacilityFilter {
    IDS("id = ANY ($%1$d::uuid[])"),
    NAMES("lower(name) LIKE ANY ($%1$d::text[])"),
    ADDRESSES("""
        EXISTS (SELECT 1 FROM jsonb_each(address) e, jsonb_array_elements_text(CASE jsonb_typeof(e.value) \
        WHEN 'array' THEN e.value ELSE jsonb_build_array(e.value) END) part \
        WHERE lower(part) LIKE ANY ($%1$d::text[]))"""),
    CITIES("lower(address ->> 'city') LIKE ANY ($%1$d::text[])"),
    STATUSES("status = ANY ($%1$d::text[])"),
    UPDATED_FROM("updated_at >= $%1$d"),
    UPDATED_BEFORE("updated_at < $%1$d"),
    /** The keyset after the previous page, in name order: two parameters. */
    AFTER("(lower(name), id) > ($%1$d::text, $%2$d::uuid)");

    private final String condition;

    FacilityFilter(String condition) {
      this.condition = condition;
    }
  }

  private static final Map<Set<FacilityFilter>, String> FACILITY_SEARCHES = new ConcurrentHashMap<>();

  /**
   * A page of a FHIR Location search in the listing's name order, with only the filters given (each shape its own
   * statement, no "{@code $n IS NULL OR}"), their values bound in {@link FacilityFilter} order, then the limit.
   */
  static String facilitySearch(Set<FacilityFilter> filters) {
    return FACILITY_SEARCHES.computeIfAbsent(filters, key -> {
      StringBuilder sql = new StringBuilder("SELECT " + FACILITY_COLUMNS + " FROM facility WHERE TRUE");
      int params = where(sql, filters);
      return sql.append(" ORDER BY lower(name), id LIMIT $").append(params + 1).toString();
    });
  }

  /** How many facilities a FHIR Location search matches, bound as {@link #facilitySearch}'s filters. */
  static String facilityCount(Set<FacilityFilter> filters) {
    StringBuilder sql = new StringBuilder("SELECT count(*) FROM facility WHERE TRUE");
    where(sql, filters);
    return sql.toString();
  }

  private static int where(StringBuilder sql, Set<FacilityFilter> filters) {
    int param = 0;
    for (FacilityFilter filter : FacilityFilter.values()) {
      if (filters.contains(filter)) {
        sql.append(" AND ").append(filter.condition.formatted(param + 1, param + 2));
        param += filter == FacilityFilter.AFTER ? 2 : 1;
      }
    }
    return param;
  }

  static final String DEPARTMENT_COLUMNS = "id, facility_id, name, kind, status, version, created_at, updated_at";

  static final String DEPARTMENT_INSERT = """
      INSERT INTO department (tenant_id, id, facility_id, name, kind, created_by) VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING %s""".formatted(DEPARTMENT_COLUMNS);

  static final String DEPARTMENT_UPDATE = """
      UPDATE department SET name = $3, kind = $4, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(DEPARTMENT_COLUMNS);

  static final String CARE_TEAM_COLUMNS = "id, name, facility_id, description, status, version, created_at, updated_at";

  static final String CARE_TEAM_INSERT = """
      INSERT INTO care_team (tenant_id, id, name, facility_id, description, created_by)
      VALUES ($1, $2, $3, $4, $5, $6)
      RETURNING %s""".formatted(CARE_TEAM_COLUMNS);

  static final String CARE_TEAM_UPDATE = """
      UPDATE care_team SET name = $3, description = $4, facility_id = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(CARE_TEAM_COLUMNS);

  static final String CARE_TEAM_MEMBERS = """
      SELECT user_id FROM staff_group WHERE group_id = $1 AND kind = 'care_team' ORDER BY user_id""";

  /**
   * A page of a team's patients in id order (uuids compare as the 128-bit numbers they are), after the patient id $2
   * when given: only patients the caller sees, since the join reads patient under its row-level security (the scoped
   * access policy included), while care_team_patient carries only the tenant's policy. The first page's bound is a
   * CASE, so the keyset is an index condition in every plan.
   */
  static final String CARE_TEAM_PATIENTS = """
      SELECT c.patient_id, c.added_at
      FROM care_team_patient c JOIN patient p ON p.tenant_id = c.tenant_id AND p.id = c.patient_id
      WHERE c.care_team_id = $1 AND p.deleted_at IS NULL
        AND c.patient_id > CASE WHEN $2::uuid IS NULL THEN '00000000-0000-0000-0000-000000000000'::uuid ELSE $2 END
      ORDER BY c.patient_id
      LIMIT $3""";

  static final String CARE_TEAM_PATIENT_ADD = """
      INSERT INTO care_team_patient (tenant_id, patient_id, care_team_id, added_by) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING""";

  static final String CARE_TEAM_PATIENT_REMOVE = "DELETE FROM care_team_patient WHERE patient_id = $1 AND care_team_id = $2";

  /**
   * A patient's ($1) care teams in name order. Like the listings of groups, the key is a filter of the walk of the
   * patient's links (care_team_patient's (tenant, patient) index): a patient is on few teams.
   */
  static final NameOrder<CareTeam> PATIENT_CARE_TEAMS = new NameOrder<>("patient-care-teams", """
      SELECT %s
      FROM care_team_patient p JOIN care_team t ON t.tenant_id = p.tenant_id AND t.id = p.care_team_id"""
      .formatted(qualified("t", CARE_TEAM_COLUMNS)), "p.patient_id", "t.name", "t.id", CareTeam::fromRow);

  /** Whether the caller sees the patient: row-level security (the scoped access policy included) decides. */
  static final String PATIENT_VISIBLE = "SELECT 1 FROM patient WHERE id = $1 AND deleted_at IS NULL";

  /** A patient's ($1) facilities in name order: a filter of the walk of the patient's few registrations. */
  static final NameOrder<Facility> PATIENT_FACILITIES = new NameOrder<>("patient-facilities", """
      SELECT %s
      FROM patient_facility p JOIN facility f ON f.tenant_id = p.tenant_id AND f.id = p.facility_id"""
      .formatted(qualified("f", FACILITY_COLUMNS)), "p.patient_id", "f.name", "f.id", Facility::fromRow);

  static final String PATIENT_FACILITY_ADD = """
      INSERT INTO patient_facility (tenant_id, patient_id, facility_id, added_by) VALUES ($1, $2, $3, $4)
      ON CONFLICT DO NOTHING""";

  static final String PATIENT_FACILITY_REMOVE = "DELETE FROM patient_facility WHERE patient_id = $1 AND facility_id = $2";

  /** What kind of group an id names (a facility, a department or a care team of the tenant, or none) and its status. */
  static final String GROUP_KIND = """
      SELECT 'facility' AS kind, status FROM facility WHERE id = $1
      UNION ALL SELECT 'department', status FROM department WHERE id = $1
      UNION ALL SELECT 'care_team', status FROM care_team WHERE id = $1""";

  static final String STAFF_GROUP_ADD = """
      INSERT INTO staff_group (tenant_id, user_id, group_id, kind, added_by) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT DO NOTHING""";

  static final String STAFF_GROUP_REMOVE = "DELETE FROM staff_group WHERE user_id = $1 AND group_id = $2";

  /** A member's groups, each with its name, its status and (a department's, a care team's) facility. */
  private static final String STAFF_GROUP_SELECT = """
      SELECT g.group_id, g.kind, coalesce(f.name, d.name, t.name) AS name,
        coalesce(f.status, d.status, t.status) AS status,
        CASE g.kind WHEN 'department' THEN d.facility_id WHEN 'care_team' THEN t.facility_id END AS facility_id
      FROM staff_group g
      LEFT JOIN facility f ON g.kind = 'facility' AND f.tenant_id = g.tenant_id AND f.id = g.group_id
      LEFT JOIN department d ON g.kind = 'department' AND d.tenant_id = g.tenant_id AND d.id = g.group_id
      LEFT JOIN care_team t ON g.kind = 'care_team' AND t.tenant_id = g.tenant_id AND t.id = g.group_id""";

  /** All of a member's ($1) groups, by kind and then name: what puts them in scope. */
  static final String STAFF_GROUPS = STAFF_GROUP_SELECT + """

      WHERE g.user_id = $1
      ORDER BY g.kind, lower(coalesce(f.name, d.name, t.name)), g.group_id""";

  /** A member's ($1) groups in name order, whatever their kind: a filter of the walk of the member's few groups. */
  static final NameOrder<StaffGroup> STAFF_GROUP_PAGES = new NameOrder<>("staff-groups", STAFF_GROUP_SELECT,
      "g.user_id", "coalesce(f.name, d.name, t.name)", "g.group_id", StaffGroup::fromRow);

  static final String SESSION_GROUP = "SELECT group_id FROM session_group WHERE session_id = $1 AND user_id = $2";

  static final String SESSION_GROUP_SET = """
      INSERT INTO session_group (tenant_id, session_id, user_id, group_id) VALUES ($1, $2, $3, $4)
      ON CONFLICT (tenant_id, session_id) DO UPDATE SET user_id = excluded.user_id, group_id = excluded.group_id,
        chosen_at = now()""";

  /**
   * Copies the group session $1 of user $3 chose to the stand-in session $2 (a background job's own id), so the job
   * works in that group whatever the session chooses later; nothing when the session chose none.
   */
  static final String SESSION_GROUP_PIN = """
      INSERT INTO session_group (tenant_id, session_id, user_id, group_id)
      SELECT tenant_id, $2, user_id, group_id FROM session_group WHERE session_id = $1 AND user_id = $3
      ON CONFLICT (tenant_id, session_id) DO NOTHING""";

  static final String SESSION_GROUP_DROP = "DELETE FROM session_group WHERE session_id = ANY ($1::uuid[])";

  static final String POLICY_COLUMNS = "scope, group_view, break_glass_minutes, version, updated_at";

  static final String POLICY = "SELECT " + POLICY_COLUMNS + " FROM access_policy";

  /** The first policy of a tenant (it had the defaults, version 0); nothing if another request set it first. */
  static final String POLICY_INSERT = """
      INSERT INTO access_policy (tenant_id, scope, group_view, break_glass_minutes, updated_by)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (tenant_id) DO NOTHING
      RETURNING %s""".formatted(POLICY_COLUMNS);

  static final String POLICY_UPDATE = """
      UPDATE access_policy SET scope = $2, group_view = $3, break_glass_minutes = $4, updated_by = $5,
        updated_at = now(), version = version + 1
      WHERE version = $1
      RETURNING %s""".formatted(POLICY_COLUMNS);

  private OrganisationSql() {
  }

  /** The columns of a list, each qualified by the alias: for a join that reads one table's record. */
  private static String qualified(String alias, String columns) {
    return String.join(", ", java.util.Arrays.stream(columns.split(", ")).map(c -> alias + "." + c).toList());
  }
}
