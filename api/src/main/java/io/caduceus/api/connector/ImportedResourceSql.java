package io.caduceus.api.connector;

import io.caduceus.api.sql.Listing;

import java.util.List;

/** The statements reading imported records as FHIR resources (the facade's Condition, Observation, MedicationRequest). */
final class ImportedResourceSql {

  private static final String SELECT = """
      SELECT r.id, r.patient_id, r.connector_id, c.base_url, r.resource_type, r.remote_id, r.version_id,
        r.last_updated, r.resource, r.version, r.imported_at, r.updated_at
      FROM ehr_import_record r
      LEFT JOIN ehr_connector c ON c.tenant_id = r.tenant_id AND c.id = r.connector_id""";

  static final String FIND = SELECT + "\nWHERE r.id = $1 AND r.resource_type = $2";

  /**
   * The filters of {@link ImportedResourceFilter}, in its order: JSON containment for codes and categories (a coding
   * given without a system matches any system), the clinical time through {@code fhir_instant} (V29), the ranges as
   * {@code tstzrange} text ({@code [from,to)}, a bound empty when open).
   */
  private static final List<String> FILTERS = List.of(
      "r.resource_type",
      "r.patient_id = ANY(%s::uuid[])",
      "COALESCE(r.resource->'code', r.resource->'medicationCodeableConcept')->'coding' @> ANY(%s::text[]::jsonb[])",
      "r.resource->'category' @> ANY(%s::text[]::jsonb[])",
      "COALESCE(r.resource->'clinicalStatus'->'coding'->0->>'code', r.resource->>'status') = ANY(%s::text[])",
      "r.resource->>'intent' = ANY(%s::text[])",
      """
      fhir_instant(COALESCE(r.resource->>'effectiveDateTime', r.resource->>'effectiveInstant',
        r.resource->'effectivePeriod'->>'start', r.resource->>'issued', r.resource->>'authoredOn')) <@ %s::tstzrange""",
      "r.updated_at <@ %s::tstzrange");

  /** Newest first (Condition, Observation), by when the record came to be held here. */
  static final Listing NEWEST_FIRST = new Listing(SELECT, FILTERS, "r.imported_at", "r.id", false);

  /** Oldest first (MedicationRequest, as prescriptions are listed). */
  static final Listing OLDEST_FIRST = new Listing(SELECT, FILTERS, "r.imported_at", "r.id", true);

  private ImportedResourceSql() {
  }
}
