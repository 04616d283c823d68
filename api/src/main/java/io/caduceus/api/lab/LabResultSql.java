package io.caduceus.api.lab;

import io.caduceus.api.sql.Listing;

import java.util.List;

/** The SQL of lab results read on their own. Every statement runs under the tenant's row-level security. */
final class LabResultSql {

  private static final String SELECT = """
      SELECT r.id, r.order_id, r.patient_id, o.encounter_id, r.code, r.display, r.value_numeric, r.value_text,
        r.unit, r.reference_low, r.reference_high, r.reference_text, r.abnormal_flag, r.resulted_at
      FROM lab_result r
      JOIN lab_order o ON o.tenant_id = r.tenant_id AND o.id = r.order_id""";

  static final String FIND = SELECT + "\nWHERE r.id = $1";

  /** Newest first; filters as {@code ChartFilter.values()}: any of the patients, encounter, any of the codes, dates. */
  static final Listing LIST = new Listing(SELECT, List.of("r.patient_id = ANY(%s)", "o.encounter_id",
      "r.code = ANY(%s)", "r.resulted_at >= %s", "r.resulted_at < %s"), "r.resulted_at", "r.id", false);

  private LabResultSql() {
  }
}
