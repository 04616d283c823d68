package io.caduceus.api.portal;

import io.caduceus.routing.Keyset;

/**
 * The patient portal's read model: one statement per section, each run in one tenant under the patient's own
 * scope ({@code app.patient_id} set, so row-level security returns only their rows) and also filtered by the
 * patient's id in that tenant.
 */
final class PortalSql {

  static final String PATIENT = """
      SELECT family_name, given_name, birth_date
      FROM patient
      WHERE id = $1 AND deleted_at IS NULL""";

  static final String APPOINTMENTS = """
      SELECT id, practitioner_id, starts_at, ends_at, status
      FROM appointment
      WHERE patient_id = $1 AND deleted_at IS NULL
      ORDER BY starts_at DESC, id
      LIMIT 100""";

  static final String VISITS = """
      SELECT id, appointment_id, opened_at, signed_at
      FROM encounter
      WHERE patient_id = $1 AND status = 'signed'
      ORDER BY signed_at DESC, id
      LIMIT 100""";

  /**
   * The patient's lab orders with the results entered at least $2 hours ago (the tenant's {@code resultsDelayHours});
   * the order's report shows once none of its results is held back.
   */
  static final String RESULTS = """
      SELECT o.id, o.direction, o.counterpart_tenant_id, o.counterpart_order_id, o.status,
        o.tests, o.created_at, o.updated_at,
        CASE WHEN NOT EXISTS (SELECT 1 FROM lab_result h WHERE h.tenant_id = o.tenant_id AND h.order_id = o.id
            AND h.resulted_at > now() - make_interval(hours => $2)) THEN o.report END AS report,
        (SELECT coalesce(jsonb_agg(jsonb_build_object('code', r.code, 'display', r.display, 'value', r.value_numeric,
            'valueText', r.value_text, 'unit', r.unit, 'referenceRange', jsonb_build_object('low', r.reference_low,
            'high', r.reference_high, 'text', r.reference_text), 'flag', r.abnormal_flag, 'resultedAt', r.resulted_at)
            ORDER BY r.code, r.id), '[]'::jsonb)
         FROM lab_result r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id
           AND r.resulted_at <= now() - make_interval(hours => $2)) AS results
      FROM lab_order o
      WHERE o.patient_id = $1
      ORDER BY o.created_at DESC, o.id
      LIMIT 100""";

  static final String MEDICATIONS = """
      SELECT id, direction, counterpart_tenant_id, counterpart_prescription_id, rxnorm_code, drug_display, dose,
        frequency, quantity, refills, days_supply, status, fills, last_filled_at, created_at
      FROM prescription
      WHERE patient_id = $1
      ORDER BY created_at DESC, id
      LIMIT 100""";

  static final String BILLS = """
      SELECT id, direction, status, decision, currency, total_cents, approved_cents, paid_cents, created_at,
        updated_at
      FROM claim
      WHERE patient_id = $1 AND direction = 'outgoing'
      ORDER BY created_at DESC, id
      LIMIT 100""";

  /**
   * Every audited access to the patient's record in this tenant by anyone but the reader ($6), newest first,
   * before the given position. The reader's own accesses are left out here, before the limit, so a page is full
   * however often the patient has looked at their own record.
   */
  static final String ACCESSES = """
      SELECT id, occurred_at, actor_user_id, actor_roles, action, outcome, partner_tenant_id, purpose
      FROM audit_event
      WHERE tenant_id = $1
        AND patient_ids @> ARRAY[$2::uuid]
        AND actor_user_id <> $6
        AND %s
      ORDER BY occurred_at DESC, id DESC
      LIMIT $5""".formatted(Keyset.before("occurred_at", "id", 3, 4));

  private PortalSql() {
  }
}
