package io.caduceus.notifications.engage;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The engine's SQL, in one place. Every statement runs in a tenant's scope, so RLS bounds it to that tenant. */
final class MessageSql {

  static final String COLUMNS = """
      id, idempotency_key, topic, source, subject_ref, recipient_kind, recipient_id, variables, critical,
      status, channel, gone_channels, attempts, attempt_id, sending_since, next_attempt_at, expires_at,
      provider, provider_message_id, address_hint, content, last_error, campaign_id, created_at, updated_at,
      sent_at""";

  static final String DUE_TENANTS = "SELECT {schema}.message_due_tenants($1) AS tenant_id";

  static final String ENQUEUE = """
      INSERT INTO message (tenant_id, id, idempotency_key, topic, category, source, subject_ref, recipient_kind,
        recipient_id, variables, critical, next_attempt_at, expires_at, campaign_id, created_at, updated_at)
      VALUES
        (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
      ON CONFLICT (tenant_id, idempotency_key) DO NOTHING
      RETURNING id""";

  /**
   * Messages a dispatcher marked 'sending' and never came back to: their outcome must be reconciled. Those of held
   * topics ({@code $3}, {@link TopicHolds}) wait until their hold ends, as due messages do.
   */
  static final String CLAIM_ORPHANS = """
      SELECT %s
      FROM message
      WHERE status = 'sending' AND lease_until < $1 AND topic <> ALL($3::text[])
      ORDER BY lease_until
      LIMIT $2
      FOR UPDATE SKIP LOCKED""".formatted(COLUMNS);

  /** Due messages of a tenant that holds no topic, critical ones first, oldest due first ({@code message_due}). */
  static final String CLAIM_DUE = """
      SELECT %s
      FROM message
      WHERE status = 'queued' AND next_attempt_at <= $1
      ORDER BY critical DESC, next_attempt_at
      LIMIT $2
      FOR UPDATE SKIP LOCKED""".formatted(COLUMNS);

  /**
   * Due messages of a tenant that holds some topics, in the same order, claimed only among the topics it does not
   * hold ({@code $3}): each is read from {@code message_due_by_topic} (V10) up to the batch, so the messages of held
   * topics are never read, however many wait (they stay queued untouched). A topic's rows beyond what the batch takes
   * stay locked until the cycle's transaction ends, unchanged: another node skips them for that cycle only.
   */
  static final String CLAIM_DUE_AROUND_HOLDS = """
      SELECT %s
      FROM unnest($3::text[]) AS t(topic)
      CROSS JOIN LATERAL (
        SELECT %s
        FROM message q
        WHERE q.status = 'queued' AND q.topic = t.topic AND q.next_attempt_at <= $1
        ORDER BY q.critical DESC, q.next_attempt_at
        LIMIT $2
        FOR UPDATE OF q SKIP LOCKED) m
      ORDER BY m.critical DESC, m.next_attempt_at
      LIMIT $2""".formatted(qualified("m"), COLUMNS);

  static final String SETTINGS = "SELECT * FROM engagement_settings";

  static final String PREFERENCES = "SELECT * FROM notification_preference WHERE patient_id = ANY($1)";

  static final String DEVICES = """
      SELECT id, patient_id, token, platform, created_at
      FROM device
      WHERE patient_id = ANY($1)
      ORDER BY created_at DESC""";

  /** Non-critical messages sent (or being sent) to the recipients since {@code $2}, for the daily cap. */
  static final String RECENT_SENDS = """
      SELECT recipient_id, sending_since
      FROM message
      WHERE recipient_id = ANY($1)
        AND NOT critical
        AND sending_since >= $2
        AND status IN ('sending', 'sent', 'delivered', 'undelivered')""";

  /** Provider ids already claimed by messages since {@code $1}: a reconciliation must not take one twice. */
  static final String CLAIMED_PROVIDER_IDS = """
      SELECT provider_message_id
      FROM message
      WHERE sent_at >= $1 AND provider_message_id IS NOT NULL""";

  static final String TEMPLATES = "SELECT topic, channel, locale, subject, body, version FROM message_template";

  static final String MARK_SENDING = """
      UPDATE message
      SET status = 'sending', channel = $2, attempt_id = $3, lease_until = $4,
        sending_since = coalesce($5::timestamptz, $6::timestamptz), content = $7, address_hint = $8,
        critical = $9, updated_at = $6
      WHERE id = $1""";

  static final String DEFER = "UPDATE message SET next_attempt_at = $2, updated_at = $3 WHERE id = $1";

  static final String CLOSE = """
      UPDATE message
      SET status = $2, last_error = $3, lease_until = NULL, updated_at = $4
      WHERE id = $1""";

  static final String SENT = """
      UPDATE message
      SET status = 'sent', provider = $3, provider_message_id = $4, sent_at = $5, attempts = attempts + 1,
        lease_until = NULL, last_error = NULL, updated_at = $5
      WHERE id = $1 AND attempt_id = $2 AND status = 'sending'""";

  /**
   * A send found at the provider after an interrupted attempt: recorded only if no other message holds that
   * provider id, so two messages with the same words to the same number never share one send (the loser is looked
   * up again when its lease ends, with that id now claimed).
   */
  static final String SENT_RECONCILED = """
      %s
        AND NOT EXISTS (SELECT 1 FROM message o WHERE o.provider_message_id = $4 AND o.id <> $1)""".formatted(SENT);

  static final String RETRY = """
      UPDATE message
      SET attempts = attempts + 1, last_error = $3, lease_until = NULL,
        status = CASE WHEN attempts + 1 >= $5 THEN 'dead' ELSE 'queued' END, next_attempt_at = $4,
        updated_at = $6
      WHERE id = $1 AND attempt_id = $2 AND status = 'sending'
      RETURNING status""";

  static final String GONE = """
      UPDATE message
      SET attempts = attempts + 1, last_error = $3, lease_until = NULL, status = 'queued',
        gone_channels = array_append(gone_channels, $4), next_attempt_at = $5, updated_at = $5
      WHERE id = $1 AND attempt_id = $2 AND status = 'sending'""";

  static final String FAILED = """
      UPDATE message
      SET attempts = attempts + 1, last_error = $3, lease_until = NULL, status = 'failed', updated_at = $4
      WHERE id = $1 AND attempt_id = $2 AND status = 'sending'""";

  static final String THROTTLED = """
      UPDATE message
      SET status = 'queued', lease_until = NULL, next_attempt_at = $3, updated_at = $4
      WHERE id = $1 AND attempt_id = $2 AND status = 'sending'""";

  static final String REMOVE_DEVICES = "DELETE FROM device WHERE token = ANY($1)";

  static final String EVENT = """
      INSERT INTO message_event (tenant_id, message_id, id, at, status, channel, detail)
      VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4, $5, $6)""";

  /** {@link #COLUMNS}, each qualified by a table alias. */
  private static String qualified(String alias) {
    return Arrays.stream(COLUMNS.split(",")).map(c -> alias + "." + c.strip()).collect(Collectors.joining(", "));
  }

  private MessageSql() {
  }
}
