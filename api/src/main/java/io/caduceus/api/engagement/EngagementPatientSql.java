package io.caduceus.api.engagement;

/**
 * The SQL by which engagement reads the api's patient records, in one place. Every statement runs under the
 * tenant's row-level security.
 */
final class EngagementPatientSql {

  static final String EXISTS = """
      SELECT 1
      FROM patient
      WHERE id = $1 AND deleted_at IS NULL
      """;

  static final String NAME = """
      SELECT given_name, family_name
      FROM patient
      WHERE id = $1 AND deleted_at IS NULL
      """;

  /** The patients a care rule finds: a diagnosis under the prefix ($1) and no such lab result ($2) within $3 months. */
  static final String CARE_DUE = """
      SELECT DISTINCT d.patient_id
      FROM diagnosis d
      JOIN patient p ON p.tenant_id = d.tenant_id AND p.id = d.patient_id AND p.deleted_at IS NULL
      WHERE d.code LIKE $1 || '%'
        AND NOT EXISTS (SELECT 1 FROM lab_result r WHERE r.patient_id = d.patient_id
          AND r.code = $2 AND r.resulted_at > $4::timestamptz - $3 * interval '1 month')
      """;

  /** The live patients among the ids ($1), with what a message to each needs. */
  static final String RECIPIENTS = """
      SELECT id, given_name, contact, preferred_language
      FROM patient
      WHERE id = ANY($1) AND deleted_at IS NULL
      """;

  static final String BY_PHONE = """
      SELECT id
      FROM patient
      WHERE contact->>'phone' = $1 AND deleted_at IS NULL
      """;

  /**
   * The ids of a campaign segment's patients, over parameters $1 to $7 (ages, sex, diagnosis prefix, language,
   * visited since, not visited since); a null parameter matches everyone.
   */
  static final String SEGMENT = """
      SELECT p.id
      FROM patient p
      WHERE p.deleted_at IS NULL
        AND ($1::int IS NULL OR p.birth_date <= current_date - make_interval(years => $1::int))
        AND ($2::int IS NULL OR p.birth_date > current_date - make_interval(years => $2::int + 1))
        AND ($3::text IS NULL OR p.sex = $3::text)
        AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM diagnosis d WHERE d.patient_id = p.id
          AND d.code LIKE $4::text || '%'))
        AND ($5::text IS NULL OR split_part(p.preferred_language, '-', 1) = $5::text)
        AND ($6::date IS NULL OR EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id
          AND a.status IN ('checked_in', 'fulfilled') AND a.starts_at >= $6::date))
        AND ($7::date IS NULL OR NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id
          AND a.status IN ('checked_in', 'fulfilled') AND a.starts_at >= $7::date))
      """;

  private EngagementPatientSql() {
  }
}
