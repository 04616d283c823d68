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

  private EngagementPatientSql() {
  }
}
