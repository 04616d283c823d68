package io.caduceus.api.practitioner;

/** The practitioner repository's SQL, in one place. */
final class PractitionerSql {

  static final String COLUMNS = """
      id, user_id, family_name, given_name, specialty, npi, email, phone, active, version, created_at,
      updated_at""";

  static final String INSERT = """
      INSERT INTO practitioner (tenant_id, id, user_id, family_name, given_name, specialty, npi, email, phone)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      RETURNING %s""".formatted(COLUMNS);

  static final String FIND = "SELECT " + COLUMNS + " FROM practitioner WHERE id = $1";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  /** The facilities practitioner $1 serves, in id order. */
  static final String FACILITIES = """
      SELECT facility_id FROM practitioner_facility WHERE practitioner_id = $1 ORDER BY facility_id""";

  /** How many of the facilities $1 the tenant has (under RLS: another tenant's are not counted). */
  static final String FACILITIES_FOUND = "SELECT count(*) AS found FROM facility WHERE id = ANY ($1::uuid[])";

  /** Practitioner $1 stops serving every facility but $2. */
  static final String UNSERVE = """
      DELETE FROM practitioner_facility WHERE practitioner_id = $1 AND NOT (facility_id = ANY ($2::uuid[]))""";

  /** Practitioner $2 serves facilities $3 (those it served already stay as they were). */
  static final String SERVE = """
      INSERT INTO practitioner_facility (tenant_id, practitioner_id, facility_id, created_by)
      SELECT $1, $2, f, $4 FROM unnest($3::uuid[]) f
      ON CONFLICT DO NOTHING""";

  static final String UPDATE = """
      UPDATE practitioner
      SET family_name = $3, given_name = $4, specialty = $5, npi = $6, email = $7, phone = $8, active = $9,
        updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2
      RETURNING %s""".formatted(COLUMNS);

  /**
   * A page in name order. Unlike the other listings (see {@code Keyset}) its keyset stays a filter for the app role
   * in any form: lower() is not leakproof, so under row-level security it cannot bound the index walk (as for
   * patients, V13); a tenant has few practitioners.
   */
  static final String LIST = """
      SELECT %s
      FROM practitioner
      WHERE ($1::boolean IS NULL OR active = $1)
        AND ($2::text IS NULL OR (lower(family_name), id) > ($2, $3::uuid))
      ORDER BY lower(family_name), id
      LIMIT $4""".formatted(COLUMNS);

  /**
   * A FHIR search page, in the listing's name order: each filter present once, none as "{@code $n IS NULL OR}"
   * (ids, name words, NPI, last update, the keyset after the previous page), the limit last. A tenant has few
   * practitioners, so the name words filter the walk of {@code practitioner_by_family} (as the listing's keyset does).
   */
  static String search(boolean ids, boolean name, boolean npi, boolean updatedFrom, boolean updatedBefore,
                       boolean after) {
    StringBuilder where = where(ids, name, npi, updatedFrom, updatedBefore);
    int param = (int) where.chars().filter(c -> c == '$').count();
    if (after) {
      where.append(" AND (lower(family_name), id) > ($").append(++param).append("::text, $").append(++param)
          .append("::uuid)");
    }
    return "SELECT " + COLUMNS + " FROM practitioner WHERE " + where + " ORDER BY lower(family_name), id LIMIT $"
        + (param + 1);
  }

  /** How many practitioners match (FHIR's {@code _summary=count}), the filters bound as {@link #search}'s. */
  static String count(boolean ids, boolean name, boolean npi, boolean updatedFrom, boolean updatedBefore) {
    return "SELECT count(*) FROM practitioner WHERE " + where(ids, name, npi, updatedFrom, updatedBefore);
  }

  private static StringBuilder where(boolean ids, boolean name, boolean npi, boolean updatedFrom,
                                     boolean updatedBefore) {
    StringBuilder where = new StringBuilder("TRUE");
    int param = 0;
    if (ids) {
      where.append(" AND id = ANY ($").append(++param).append("::uuid[])");
    }
    if (name) {
      where.append(" AND ' ' || lower(family_name) || ' ' || coalesce(lower(given_name), '') LIKE ALL ($")
          .append(++param).append("::text[])");
    }
    if (npi) {
      where.append(" AND npi = ANY ($").append(++param).append("::text[])");
    }
    if (updatedFrom) {
      where.append(" AND updated_at >= $").append(++param);
    }
    if (updatedBefore) {
      where.append(" AND updated_at < $").append(++param);
    }
    return where;
  }

  private PractitionerSql() {
  }
}
