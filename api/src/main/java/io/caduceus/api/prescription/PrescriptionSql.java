package io.caduceus.api.prescription;

import io.caduceus.api.exchange.CopyRepository;
import io.caduceus.api.sql.Listing;
import io.caduceus.api.sql.RecordSearch;

/** The prescription repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class PrescriptionSql {

  static final String COLUMNS = """
      p.id, p.direction, p.counterpart_tenant_id, p.counterpart_prescription_id, p.link_id, p.patient_id,
      p.encounter_id, p.prescriber_user_id, p.prescriber_name, p.prescriber_npi, p.rxnorm_code,
      p.drug_display, p.ingredients, p.dose, p.frequency, p.quantity, p.refills, p.days_supply, p.note,
      p.status, p.fills, p.last_filled_at, p.interaction_review, p.created_at, p.updated_at, p.version""";

  private static final String DISPENSES = """
      , (SELECT coalesce(jsonb_agg(jsonb_build_object('fillNumber', d.fill_number, 'lot', d.lot,
          'quantity', d.quantity, 'dispensedAt', d.dispensed_at) ORDER BY d.fill_number), '[]'::jsonb)
         FROM dispense d WHERE d.tenant_id = p.tenant_id AND d.prescription_id = p.id) AS dispenses""";

  static final String FIND = "SELECT " + COLUMNS + DISPENSES + " FROM prescription p WHERE p.id = $1";

  static final String LOCK = "SELECT " + COLUMNS + " FROM prescription p WHERE p.id = $1 FOR UPDATE";

  static final String BY_COUNTERPART = """
      SELECT %s
      FROM prescription p
      WHERE p.counterpart_tenant_id = $1 AND p.counterpart_prescription_id = $2
      FOR UPDATE""".formatted(COLUMNS);

  static final String INSERT = """
      INSERT INTO prescription (tenant_id, id, direction, counterpart_tenant_id, counterpart_prescription_id,
        link_id, patient_id, encounter_id, prescriber_user_id, prescriber_name, prescriber_npi, rxnorm_code,
        drug_display, ingredients, dose, frequency, quantity, refills, days_supply, note, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)""";

  static final String SET_STATUS = """
      UPDATE prescription
      SET status = $2, counterpart_prescription_id = coalesce(counterpart_prescription_id, $3),
        updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String RECORD_FILL = """
      UPDATE prescription
      SET status = $2, fills = greatest(fills, $3), last_filled_at = greatest(last_filled_at, $4),
        counterpart_prescription_id = coalesce(counterpart_prescription_id, $5), updated_at = now(),
        version = version + 1
      WHERE id = $1""";

  static final String ADD_DISPENSE = """
      INSERT INTO dispense
        (tenant_id, id, prescription_id, patient_id, fill_number, lot, quantity, dispensed_by, dispensed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)""";

  static final String SET_REVIEW = """
      UPDATE prescription
      SET interaction_review = $2, updated_at = now(), version = version + 1
      WHERE id = $1""";

  /**
   * The patient's other medications the pharmacy knows to be active: awaiting their first fill ({@code received}),
   * with refills left ({@code dispensed}), or fully filled ({@code completed}) with the last fill's days' supply
   * not yet used up. Cancelled prescriptions and used-up supplies are not active.
   */
  static final String ACTIVE_OF_PATIENT = """
      SELECT %s
      FROM prescription p
      WHERE p.patient_id = $1
        AND p.id <> $2
        AND p.direction = 'incoming'
        AND (p.status IN ('received', 'dispensed') OR (p.status = 'completed'
          AND p.last_filled_at + make_interval(days => p.days_supply) > now()))
      ORDER BY p.created_at, p.id""".formatted(COLUMNS);

  static final Listing LIST = CopyRepository.listing("prescription", "p", COLUMNS);

  /** What a search of prescriptions filters: patient, status, RxNorm code, written and last changed. */
  static final RecordSearch.Columns SEARCHED = new RecordSearch.Columns("p.patient_id", "p.status", "p.rxnorm_code",
      "text", "p.created_at", "p.updated_at", "p.id");

  static final Listing SEARCH = RecordSearch.listing("SELECT " + COLUMNS + "\nFROM prescription p", SEARCHED);

  private static final String DISPENSE_SELECT = """
      SELECT d.id, d.prescription_id, d.patient_id, d.fill_number, d.lot, d.quantity, d.dispensed_at,
        p.rxnorm_code, p.drug_display, p.ingredients, p.dose, p.frequency, p.days_supply
      FROM dispense d
      JOIN prescription p ON p.tenant_id = d.tenant_id AND p.id = d.prescription_id""";

  static final String DISPENSE_FIND = DISPENSE_SELECT + "\nWHERE d.id = $1";

  /**
   * What a search of fills filters: patient, prescription and when dispensed (a fill is never changed, so it is
   * also its last change). A fill has no status of its own: every row is a completed fill.
   */
  static final RecordSearch.Columns DISPENSES_SEARCHED = new RecordSearch.Columns("d.patient_id", "'completed'",
      "d.prescription_id", "uuid", "d.dispensed_at", "d.dispensed_at", "d.id");

  static final Listing DISPENSE_SEARCH = RecordSearch.listing(DISPENSE_SELECT, DISPENSES_SEARCHED);

  private PrescriptionSql() {
  }
}
