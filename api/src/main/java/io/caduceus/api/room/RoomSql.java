package io.caduceus.api.room;

/** The room repository's SQL, in one place. */
final class RoomSql {

  static final String COLUMNS = "id, facility_id, name, kind, status, version, created_at, updated_at";

  /** Creates a room at an active facility of this tenant (checked under RLS); no row when there is none. */
  static final String INSERT = """
      INSERT INTO room (tenant_id, id, facility_id, name, kind, created_by)
      SELECT $1, $2, $3, $4, $5, $6
      WHERE EXISTS (SELECT 1 FROM facility WHERE id = $3 AND status = 'active')
      RETURNING %s""".formatted(COLUMNS);

  static final String FIND = "SELECT " + COLUMNS + " FROM room WHERE id = $1";

  static final String UPDATE = """
      UPDATE room
      SET name = $3, kind = $4, status = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(COLUMNS);

  /**
   * A page in name order, optionally of one facility ($1) and one status ($2). As for practitioners, lower() is not
   * leakproof, so under row-level security the keyset stays a filter of the walk of room_by_name: a tenant has few
   * rooms.
   */
  static final String LIST = """
      SELECT %s
      FROM room
      WHERE ($1::uuid IS NULL OR facility_id = $1)
        AND ($2::text IS NULL OR status = $2)
        AND ($3::text IS NULL OR (lower(name), id) > ($3, $4::uuid))
      ORDER BY lower(name), id
      LIMIT $5""".formatted(COLUMNS);

  private RoomSql() {
  }
}
