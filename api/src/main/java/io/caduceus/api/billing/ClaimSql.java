package io.caduceus.api.billing;

import io.caduceus.api.exchange.CopyRepository;
import io.caduceus.api.sql.Listing;
import io.caduceus.api.sql.RecordSearch;

/** The claim repository's SQL, in one place. Every statement runs under the tenant's row-level security. */
final class ClaimSql {

  private static final String COLUMNS = """
      c.id, c.direction, c.counterpart_tenant_id, c.counterpart_claim_id, c.link_id, c.patient_id,
      c.encounter_id, c.coverage_id, c.member_id_sealed, c.service_date, c.provider, c.diagnoses, c.lines,
      c.currency, c.total_cents, c.approved_cents, c.paid_cents, c.status, c.decision, c.reasons,
      c.created_at, c.updated_at, c.version""";

  private static final String PAYMENTS = """
      , (SELECT coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'amountCents', p.amount_cents,
          'reference', p.reference, 'paidAt', p.paid_at) ORDER BY p.paid_at, p.id), '[]'::jsonb)
         FROM claim_payment p WHERE p.tenant_id = c.tenant_id AND p.claim_id = c.id) AS payments""";

  static final String FIND = "SELECT " + COLUMNS + PAYMENTS + " FROM claim c WHERE c.id = $1";

  static final String LOCK = "SELECT " + COLUMNS + " FROM claim c WHERE c.id = $1 FOR UPDATE";

  static final String INSERT = """
      INSERT INTO claim (tenant_id, id, direction, counterpart_tenant_id, counterpart_claim_id, link_id,
        patient_id, encounter_id, coverage_id, member_id_sealed, service_date, provider, diagnoses, lines,
        currency, total_cents, status)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'submitted')""";

  static final String LEARN_COUNTERPART = """
      UPDATE claim
      SET counterpart_claim_id = coalesce(counterpart_claim_id, $2)
      WHERE id = $1""";

  static final String DECIDE = """
      UPDATE claim
      SET status = $2, decision = $3, approved_cents = $4, reasons = $5,
        counterpart_claim_id = coalesce(counterpart_claim_id, $6), updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String RECORD_PAYMENT = """
      UPDATE claim
      SET paid_cents = paid_cents + $2, status = $3, updated_at = now(), version = version + 1
      WHERE id = $1""";

  static final String ADD_PAYMENT = """
      INSERT INTO claim_payment (tenant_id, id, claim_id, patient_id, amount_cents, reference, paid_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7)""";

  static final Listing LIST = CopyRepository.listing("claim", "c", COLUMNS);

  /** What a search of claims filters: patient, status, the claim's own id, created and last changed. */
  static final RecordSearch.Columns SEARCHED = new RecordSearch.Columns("c.patient_id", "c.status", "c.id", "uuid",
      "c.created_at", "c.updated_at", "c.id");

  static final Listing SEARCH = RecordSearch.listing("SELECT " + COLUMNS + PAYMENTS + " FROM claim c", SEARCHED);

  /** What a claim for an encounter carries from the chart: the visit, its provider and the patient's member id. */
  static final String ENCOUNTER_FOR_CLAIM = """
      SELECT e.status, e.patient_id, a.starts_at, pr.given_name, pr.family_name, pr.npi,
        pa.insurance_member_id_sealed
      FROM encounter e
      JOIN appointment a ON a.tenant_id = e.tenant_id AND a.id = e.appointment_id
      JOIN practitioner pr ON pr.tenant_id = e.tenant_id AND pr.id = e.practitioner_id
      JOIN patient pa ON pa.tenant_id = e.tenant_id AND pa.id = e.patient_id
      WHERE e.id = $1
      FOR UPDATE OF e""";

  static final String DIAGNOSES = """
      SELECT code, display
      FROM diagnosis
      WHERE encounter_id = $1
      ORDER BY recorded_at, id""";

  private ClaimSql() {
  }
}
