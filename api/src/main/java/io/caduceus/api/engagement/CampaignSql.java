package io.caduceus.api.engagement;

/** The SQL of campaigns, in one place. Runs in the tenant's scope; the segment is {@link Segments#PATIENTS}. */
final class CampaignSql {

  static final String COLUMNS = "id, name, segment, content, survey_id, schedule, status, next_run_at, last_run_at,"
      + " runs, created_at";

  static final String INSERT = "INSERT INTO campaign (tenant_id, id, name, segment, content, survey_id, schedule,"
      + " next_run_at, created_by) VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8)"
      + " RETURNING " + COLUMNS;

  static final String FIND = "SELECT " + COLUMNS + " FROM campaign WHERE id = $1";

  static final String LIST = "SELECT " + COLUMNS + " FROM campaign"
      + " WHERE ($1::timestamptz IS NULL OR (created_at, id) < ($1, $2::uuid)) ORDER BY created_at DESC, id DESC LIMIT $3";

  static final String COUNTS = "SELECT status, count(*) AS n FROM message WHERE campaign_id = $1 GROUP BY status";

  static final String CANCEL = "UPDATE campaign SET status = 'cancelled', next_run_at = NULL WHERE id = $1"
      + " AND status = 'scheduled' RETURNING " + COLUMNS;

  static final String CANCEL_MESSAGES = "UPDATE message SET status = 'cancelled', last_error = 'the campaign was"
      + " cancelled', updated_at = now() WHERE campaign_id = $1 AND status = 'queued'";

  static final String DUE = "SELECT " + COLUMNS + " FROM campaign WHERE status = 'scheduled' AND next_run_at <= $1"
      + " ORDER BY next_run_at LIMIT 10 FOR UPDATE SKIP LOCKED";

  static final String AFTER_RUN = "UPDATE campaign SET runs = runs + 1, last_run_at = $2, next_run_at = $3,"
      + " status = CASE WHEN $3::timestamptz IS NULL THEN 'completed' ELSE 'scheduled' END WHERE id = $1";

  /** One run: a message per patient of the segment ($1–$7), keyed by campaign ($8) and run time ($9). */
  static final String RUN = "WITH seg AS (" + Segments.PATIENTS + "),"
      + " ins AS (INSERT INTO message (tenant_id, id, idempotency_key, topic, category, source, recipient_kind,"
      + "   recipient_id, variables, critical, next_attempt_at, campaign_id, created_at, updated_at)"
      + "   SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(),"
      + "     'campaign:' || $8::text || ':' || $9::text || ':' || seg.id, 'campaign', 'campaigns', 'campaign',"
      + "     'patient', seg.id, '{}'::jsonb, false, $10, $8::uuid, $10, $10 FROM seg"
      + "   ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id)"
      + " INSERT INTO message_event (tenant_id, message_id, id, at, status, channel, detail)"
      + " SELECT current_setting('app.tenant_id')::uuid, ins.id, gen_random_uuid(), $10, 'queued', NULL, 'campaign'"
      + " FROM ins";

  /** One run of a campaign that carries a survey: an invitation per patient, and the link to it in the message. */
  static final String RUN_WITH_SURVEY = "WITH seg AS (" + Segments.PATIENTS + "),"
      + " inv AS (INSERT INTO survey_invitation (tenant_id, id, survey_id, patient_id, cause)"
      + "   SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(), $11::uuid, seg.id,"
      + "     'campaign:' || $8::text || ':' || $9::text FROM seg"
      + "   ON CONFLICT (tenant_id, survey_id, patient_id, cause) DO NOTHING RETURNING id, patient_id),"
      + " ins AS (INSERT INTO message (tenant_id, id, idempotency_key, topic, category, source, recipient_kind,"
      + "   recipient_id, variables, critical, next_attempt_at, campaign_id, created_at, updated_at)"
      + "   SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(),"
      + "     'campaign:' || $8::text || ':' || $9::text || ':' || inv.patient_id, 'campaign', 'campaigns', 'campaign',"
      + "     'patient', inv.patient_id, jsonb_build_object('link', $12::text || '/surveys/' || inv.id), false, $10,"
      + "     $8::uuid, $10, $10 FROM inv"
      + "   ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id)"
      + " INSERT INTO message_event (tenant_id, message_id, id, at, status, channel, detail)"
      + " SELECT current_setting('app.tenant_id')::uuid, ins.id, gen_random_uuid(), $10, 'queued', NULL, 'campaign'"
      + " FROM ins";

  private CampaignSql() {
  }
}
