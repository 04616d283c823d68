package io.caduceus.api.lab;

import io.caduceus.api.exchange.CopyRepository;
import io.caduceus.api.sql.Listing;

import java.util.List;

/** The lab order repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class LabOrderSql {

  static final String COLUMNS = """
      o.id, o.direction, o.counterpart_tenant_id, o.counterpart_order_id, o.link_id, o.patient_id,
      o.encounter_id, o.ordered_by, o.orderer_name, o.orderer_npi, o.tests, o.priority, o.note, o.status,
      o.report, o.created_at, o.updated_at, o.version""";

  private static final String RESULTS = """
      , (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'code', r.code, 'display', r.display,
          'value', r.value_numeric, 'valueText', r.value_text, 'unit', r.unit,
          'referenceRange', jsonb_build_object('low', r.reference_low, 'high', r.reference_high,
            'text', r.reference_text),
          'flag', r.abnormal_flag, 'resultedAt', r.resulted_at) ORDER BY r.code, r.id), '[]'::jsonb)
         FROM lab_result r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id) AS results""";

  static final String FIND = "SELECT " + COLUMNS + RESULTS + " FROM lab_order o WHERE o.id = $1";

  static final String LOCK = "SELECT " + COLUMNS + " FROM lab_order o WHERE o.id = $1 FOR UPDATE";

  static final String BY_COUNTERPART = """
      SELECT %s
      FROM lab_order o
      WHERE o.counterpart_tenant_id = $1 AND o.counterpart_order_id = $2
      FOR UPDATE""".formatted(COLUMNS);

  static final String INSERT = """
      INSERT INTO lab_order (tenant_id, id, direction, counterpart_tenant_id, counterpart_order_id, link_id,
        patient_id, encounter_id, ordered_by, orderer_name, orderer_npi, tests, priority, note, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)""";

  static final String SET_STATUS = """
      UPDATE lab_order
      SET status = $2, counterpart_order_id = coalesce(counterpart_order_id, $3), report = coalesce($4, report),
        updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String ADD_RESULT = """
      INSERT INTO lab_result (tenant_id, id, order_id, patient_id, code, display, value_numeric, value_text,
        unit, reference_low, reference_high, reference_text, abnormal_flag, resulted_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)""";

  static final Listing LIST = CopyRepository.listing("lab_order", "o", COLUMNS);

  /**
   * Newest first, with results, for FHIR search; filters any of the patients, any of the statuses, any of the tests'
   * codes, created from/before, updated from/before.
   */
  static final Listing SEARCH = new Listing("SELECT " + COLUMNS + RESULTS + "\nFROM lab_order o",
      List.of("o.patient_id = ANY(%s)", "o.status = ANY(%s)",
          "EXISTS (SELECT 1 FROM jsonb_array_elements(o.tests) t WHERE t->>'code' = ANY(%s))",
          "o.created_at >= %s", "o.created_at < %s", "o.updated_at >= %s", "o.updated_at < %s"),
      "o.created_at", "o.id", false);

  private LabOrderSql() {
  }
}
