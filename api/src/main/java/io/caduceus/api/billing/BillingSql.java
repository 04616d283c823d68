package io.caduceus.api.billing;

import io.caduceus.api.sql.Listing;
import io.caduceus.api.sql.RecordSearch;

import java.util.List;

/**
 * The SQL of coverage, eligibility, the fee schedule and charges, in one place. Every statement runs under the
 * tenant's row-level security.
 */
final class BillingSql {

  private static final String COVERAGE_SELECT = """
      SELECT c.id, c.patient_id, concat_ws(' ', p.given_name, p.family_name) AS patient_name,
        c.member_id_sealed, c.plan, c.status, c.period_start, c.period_end, c.version, c.created_at,
        c.updated_at""";

  private static final String COVERAGE_FROM = """
      FROM coverage c
      JOIN patient p ON p.tenant_id = c.tenant_id AND p.id = c.patient_id""";

  static final String COVERAGE_INSERT = """
      INSERT INTO coverage
        (tenant_id, id, patient_id, member_id_sealed, member_id_index, plan, status, period_start, period_end)
      SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
      WHERE EXISTS (SELECT 1 FROM patient WHERE id = $3 AND deleted_at IS NULL)""";

  static final String COVERAGE_FIND = "%s %s WHERE c.id = $1".formatted(COVERAGE_SELECT, COVERAGE_FROM);

  static final String COVERAGE_UPDATE = """
      UPDATE coverage
      SET plan = $3, status = $4, period_start = $5, period_end = $6, version = version + 1, updated_at = now()
      WHERE id = $1 AND version = $2""";

  /** Filters patient, status. */
  static final Listing COVERAGE_LIST = new Listing(COVERAGE_SELECT + "\n" + COVERAGE_FROM,
      List.of("c.patient_id", "c.status"), "c.created_at", "c.id", true);

  /** What a search of coverage filters: patient, status, created and last changed (no key). */
  static final RecordSearch.Columns COVERAGE_SEARCHED = new RecordSearch.Columns("c.patient_id", "c.status", null,
      null, "c.created_at", "c.updated_at", "c.id");

  static final Listing COVERAGE_SEARCH = RecordSearch.listing(COVERAGE_SELECT + "\n" + COVERAGE_FROM,
      COVERAGE_SEARCHED);

  /** The coverage a member id belongs to, with what an eligibility answer checks the patient against. */
  static final String COVERAGE_BY_MEMBER = """
      %s, p.family_name, p.birth_date
      %s
      WHERE c.member_id_index = $1 AND p.deleted_at IS NULL""".formatted(COVERAGE_SELECT, COVERAGE_FROM);

  static final String COVERAGE_ID_BY_MEMBER = "SELECT id FROM coverage WHERE member_id_index = $1";

  /** The visit, its patient's identifying demographics and sealed member id, for an eligibility question. */
  static final String VISIT_FOR_ELIGIBILITY = """
      SELECT a.id, a.patient_id, a.starts_at, a.status, p.family_name, p.birth_date,
        p.insurance_member_id_sealed
      FROM appointment a
      JOIN patient p ON p.tenant_id = a.tenant_id AND p.id = a.patient_id
      WHERE a.id = $1 AND a.deleted_at IS NULL AND p.deleted_at IS NULL""";

  static final String ELIGIBILITY_STORE = "UPDATE appointment SET eligibility = $2 WHERE id = $1";

  static final String ELIGIBILITY_FIND = """
      SELECT patient_id, eligibility
      FROM appointment
      WHERE id = $1 AND deleted_at IS NULL""";

  private static final String FEE_COLUMNS = "cpt_code, display, amount_cents, currency, updated_at";

  /**
   * The fee schedule after a CPT code ($1, null for the first page). Every code has five characters, so the empty
   * string sorts before all of them in any collation; a CASE rather than "{@code $1 IS NULL OR}" keeps the bound an
   * index condition in the generic plan (see {@link io.caduceus.routing.Keyset}).
   */
  static final String FEE_LIST = """
      SELECT %s
      FROM fee
      WHERE cpt_code > CASE WHEN $1::text IS NULL THEN '' ELSE $1::text END
      ORDER BY cpt_code
      LIMIT $2""".formatted(FEE_COLUMNS);

  static final String FEE_PUT = """
      INSERT INTO fee (tenant_id, cpt_code, display, amount_cents, currency)
      VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (tenant_id, cpt_code) DO UPDATE SET display = excluded.display,
        amount_cents = excluded.amount_cents, currency = excluded.currency, updated_at = now()
      RETURNING %s, (xmax = 0) AS created""".formatted(FEE_COLUMNS);

  static final String FEE_DELETE = "DELETE FROM fee WHERE cpt_code = $1";

  /**
   * The encounter, locked, with the place of service its charges carry: 11 in person; for a telehealth encounter
   * 10 when the patient joined from home (or said nothing), 02 from elsewhere.
   */
  static final String ENCOUNTER_LOCK = """
      SELECT e.status, e.patient_id, e.modality,
        CASE WHEN e.modality <> 'virtual' THEN '11'
             WHEN s.patient_location = 'elsewhere' THEN '02'
             ELSE '10' END AS place_of_service
      FROM encounter e
      LEFT JOIN telehealth_session s ON s.tenant_id = e.tenant_id AND s.appointment_id = e.appointment_id
      WHERE e.id = $1
      FOR UPDATE OF e""";

  /** The encounter's procedures with the fee each is priced at (none if the schedule has no fee for it). */
  static final String PRICED_PROCEDURES = """
      SELECT p.id, p.code, p.display, p.quantity, f.display AS fee_display, f.amount_cents, f.currency,
        EXISTS (SELECT 1 FROM charge c WHERE c.tenant_id = p.tenant_id AND c.procedure_id = p.id) AS charged
      FROM procedure_performed p
      LEFT JOIN fee f ON f.tenant_id = p.tenant_id AND f.cpt_code = p.code
      WHERE p.encounter_id = $1
      ORDER BY p.recorded_at, p.id""";

  static final String CHARGE_INSERT = """
      INSERT INTO charge (tenant_id, id, encounter_id, patient_id, procedure_id, cpt_code, display, quantity,
        unit_cents, amount_cents, currency, place_of_service, modifiers)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      ON CONFLICT (tenant_id, procedure_id) DO NOTHING""";

  private static final String CHARGE_COLUMNS = """
      id, encounter_id, patient_id, procedure_id, cpt_code, display, quantity, unit_cents, amount_cents,
      currency, claim_id, created_at, place_of_service, modifiers""";

  static final String CHARGES_OF_ENCOUNTER = """
      SELECT %s
      FROM charge
      WHERE encounter_id = $1
      ORDER BY created_at, id""".formatted(CHARGE_COLUMNS);

  static final String CHARGES_UNBILLED = """
      SELECT %s
      FROM charge
      WHERE encounter_id = $1 AND claim_id IS NULL
      ORDER BY created_at, id
      FOR UPDATE""".formatted(CHARGE_COLUMNS);

  static final String CHARGES_BILL = "UPDATE charge SET claim_id = $2 WHERE encounter_id = $1 AND claim_id IS NULL";

  /** Filters encounter, patient, billed. */
  static final Listing CHARGE_LIST = new Listing("SELECT " + CHARGE_COLUMNS + "\nFROM charge",
      List.of("encounter_id", "patient_id", "(claim_id IS NOT NULL) = %s"), "created_at", "id", true);

  private BillingSql() {
  }
}
