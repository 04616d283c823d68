package io.caduceus.api.patient;

/** The patient repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class PatientSql {

  static final String COLUMNS = """
      id, mrn, family_name, given_name, birth_date, sex, preferred_language, contact, insurance,
      insurance_member_id_sealed, national_id_sealed, clinical, version, created_at, updated_at""";

  static final String INSERT = """
      INSERT INTO patient (tenant_id, id, mrn, family_name, given_name, birth_date, sex, preferred_language,
        contact, insurance, insurance_member_id_sealed, national_id_sealed, clinical, created_by, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
      RETURNING %s""".formatted(COLUMNS);

  static final String FIND = "SELECT " + COLUMNS + " FROM patient WHERE id = $1 AND deleted_at IS NULL";

  static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";

  static final String UPDATE = """
      UPDATE patient
      SET mrn = $3, family_name = $4, given_name = $5, birth_date = $6, sex = $7, preferred_language = $8,
        contact = $9, insurance = $10, insurance_member_id_sealed = $11, national_id_sealed = $12,
        clinical = $13, updated_by = $14, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND deleted_at IS NULL
      RETURNING %s""".formatted(COLUMNS);

  static final String DELETE = """
      UPDATE patient
      SET deleted_at = now(), updated_at = now(), updated_by = $2, version = version + 1
      WHERE id = $1 AND deleted_at IS NULL""";

  /**
   * Every word must start a word of the family or given name ({@code search_text} holds them, each after a
   * space). The first word is also its own predicate, so the planner can use the trigram index; the keyset is
   * (lower(family_name), id).
   */
  static final String SEARCH = """
      SELECT %s
      FROM patient
      WHERE deleted_at IS NULL
        AND ($1::text IS NULL OR search_text LIKE $1)
        AND ($2::text[] IS NULL OR NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS w(p)
          WHERE search_text NOT LIKE w.p))
        AND ($3::date IS NULL OR birth_date = $3)
        AND ($4::text IS NULL OR mrn = $4)
        AND ($5::text IS NULL OR (lower(family_name), id) > ($5, $6::uuid))
      ORDER BY lower(family_name), id
      LIMIT $7""".formatted(COLUMNS);

  static final String EXISTS = "SELECT version FROM patient WHERE id = $1 AND deleted_at IS NULL";

  private PatientSql() {
  }
}
