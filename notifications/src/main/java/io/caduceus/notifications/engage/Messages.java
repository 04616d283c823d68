package io.caduceus.notifications.engage;

import io.caduceus.routing.Keyset;
import io.caduceus.routing.Timestamps;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creating messages and reading their history, on the caller's tenant transaction. Creation is idempotent by the
 * message's key; history is every state the message went through, with the reason.
 */
public final class Messages {

  private static final String CANCEL = """
      UPDATE message
      SET status = 'cancelled', last_error = $3, updated_at = $4
      WHERE subject_ref = $1 AND topic = ANY($2) AND status = 'queued'
      RETURNING id""";
  private static final String LIST = """
      SELECT %s
      FROM message
      WHERE ($1::text IS NULL OR status = $1)
        AND ($2::text IS NULL OR channel = $2)
        AND ($3::text IS NULL OR provider = $3 OR split_part(provider, ':', 1) = $3)
        AND ($4::uuid IS NULL OR recipient_id = $4)
        AND ($5::text IS NULL OR topic = $5)
        AND %s
      ORDER BY created_at DESC, id DESC
      LIMIT $8""".formatted(MessageSql.COLUMNS, Keyset.before("created_at", "id", 6, 7));
  private static final String FIND = "SELECT " + MessageSql.COLUMNS + " FROM message WHERE id = $1";
  private static final String HISTORY = """
      SELECT at, status, channel, detail
      FROM message_event
      WHERE message_id = $1
      ORDER BY at, id""";
  private static final String REQUEUE = """
      UPDATE message
      SET status = 'queued', attempts = 0, next_attempt_at = $2, gone_channels = '{}', last_error = NULL,
        updated_at = $2
      WHERE id = $1 AND status = 'dead'""";
  private static final String RECEIPT = """
      UPDATE message
      SET status = $2, updated_at = $3, last_error = $4
      WHERE provider_message_id = $1 AND status IN ('sent', 'delivered', 'undelivered')
      RETURNING id, channel""";
  /** A campaign run's messages: one per recipient, keyed by campaign ($1), run ($2) and patient. */
  private static final String CAMPAIGN_RUN = """
      WITH ins AS (INSERT INTO message (tenant_id, id, idempotency_key, topic,
        category, source, recipient_kind, recipient_id, variables, critical, next_attempt_at, campaign_id,
        created_at, updated_at)
        SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(),
          'campaign:' || $1::text || ':' || $2::text || ':' || r.patient_id, 'campaign', 'campaigns', 'campaign',
          'patient', r.patient_id, r.variables::jsonb, false, $5, $1::uuid, $5, $5
        FROM unnest($3::uuid[], $4::text[]) AS r(patient_id, variables)
        ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id)
      INSERT INTO message_event (tenant_id, message_id, id, at, status, channel, detail)
      SELECT current_setting('app.tenant_id')::uuid, ins.id, gen_random_uuid(), $5, 'queued', NULL, 'campaign'
      FROM ins""";
  /** A care rule's reminders: one care.preventive message per patient, keyed by rule ($1), patient and month ($2). */
  private static final String CARE_REMINDERS = """
      WITH ins AS (INSERT INTO message (tenant_id, id, idempotency_key,
        topic, category, source, subject_ref, recipient_kind, recipient_id, critical, next_attempt_at, created_at,
        updated_at)
        SELECT current_setting('app.tenant_id')::uuid, gen_random_uuid(),
          'care:' || $1::text || ':' || due.patient_id || ':' || $2::text, 'care.preventive', 'care_reminders',
          'reminder', $1::text, 'patient', due.patient_id, false, $4, $4, $4 FROM unnest($3::uuid[]) AS due(patient_id)
        ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id)
      INSERT INTO message_event (tenant_id, message_id, id, at, status, channel, detail)
      SELECT current_setting('app.tenant_id')::uuid, ins.id, gen_random_uuid(), $4, 'queued', NULL, 'care rule'
      FROM ins""";

  /** One state of a message's history. */
  public record Event(Instant at, String status, String channel, String detail) {

    static Event fromRow(Row row) {
      return new Event(row.getOffsetDateTime("at").toInstant(), row.getString("status"), row.getString("channel"),
          row.getString("detail"));
    }
  }

  /** Creates {@code m} unless its key exists; returns the new id, or empty when it already existed. */
  public Future<Optional<UUID>> enqueue(SqlConnection conn, NewMessage m, Instant now) {
    UUID id = UuidV7.next();
    Instant due = m.notBefore() == null ? now : m.notBefore();
    return conn.preparedQuery(MessageSql.ENQUEUE).execute(Tuple.from(Arrays.asList(id, m.idempotencyKey(),
            m.topic().wire(), m.topic().category().wire(), m.source(), m.subjectRef(), m.recipientKind().wire(),
            m.recipientId(), m.variables(), m.critical(), Timestamps.utc(due),
            m.expiresAt() == null ? null : Timestamps.utc(m.expiresAt()), m.campaignId(), Timestamps.utc(now))))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<UUID>empty());
          }
          return event(conn, id, now, "queued", m.source()).map(Optional.of(id));
        });
  }

  /** Cancels the queued messages of {@code topics} about {@code subjectRef} (reminders of a moved appointment). */
  public Future<Integer> cancel(SqlConnection conn, String subjectRef, List<Topic> topics, String reason,
                                Instant now) {
    String[] wires = topics.stream().map(Topic::wire).toArray(String[]::new);
    return conn.preparedQuery(CANCEL).execute(Tuple.of(subjectRef, wires, reason, Timestamps.utc(now)))
        .compose(rows -> {
          List<Future<Void>> events = new ArrayList<>();
          rows.forEach(row -> events.add(event(conn, row.getUUID("id"), now, "cancelled", reason)));
          return Future.all(events).map(rows.size());
        });
  }

  /** A patient a campaign run writes to, with the variables of their message. */
  public record CampaignRecipient(UUID patientId, JsonObject variables) {
  }

  /**
   * Creates a campaign run's messages, queued at {@code now}, except those the run already created; returns how
   * many it created.
   */
  public Future<Integer> enqueueCampaign(SqlConnection conn, UUID campaign, String run,
                                         List<CampaignRecipient> recipients, Instant now) {
    UUID[] patients = recipients.stream().map(CampaignRecipient::patientId).toArray(UUID[]::new);
    String[] variables = recipients.stream().map(r -> r.variables().encode()).toArray(String[]::new);
    return conn.preparedQuery(CAMPAIGN_RUN).execute(Tuple.of(campaign.toString(), run, patients, variables,
        Timestamps.utc(now))).map(rows -> rows.rowCount());
  }

  /**
   * Creates a care rule's reminder to each patient for {@code month}, queued at {@code now}, except those already
   * created; returns how many it created.
   */
  public Future<Integer> enqueueCareReminders(SqlConnection conn, UUID rule, String month, List<UUID> patients,
                                              Instant now) {
    return conn.preparedQuery(CARE_REMINDERS).execute(Tuple.of(rule.toString(), month,
        patients.toArray(UUID[]::new), Timestamps.utc(now))).map(rows -> rows.rowCount());
  }

  /** Which messages a listing shows: each null field matches everything. */
  public record Filter(MessageStatus status, String channel, String provider, UUID recipientId, Topic topic) {
  }

  /** A page of the tenant's messages, newest first, after the keyset ({@code createdBefore}, {@code idBefore}). */
  public Future<List<Message>> list(SqlConnection conn, Filter f, Instant createdBefore, UUID idBefore, int limit) {
    return conn.preparedQuery(LIST).execute(Tuple.from(Arrays.asList(
            f.status() == null ? null : f.status().wire(), f.channel(), f.provider(), f.recipientId(),
            f.topic() == null ? null : f.topic().wire(),
            createdBefore == null ? null : Timestamps.utc(createdBefore), idBefore, limit)))
        .map(rows -> {
          List<Message> page = new ArrayList<>();
          rows.forEach(row -> page.add(Message.fromRow(row)));
          return page;
        });
  }

  /** The message, if it is the tenant's. */
  public Future<Optional<Message>> find(SqlConnection conn, UUID id) {
    return conn.preparedQuery(FIND).execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Message.fromRow(rows.iterator().next())));
  }

  /** The message's history, oldest first. */
  public Future<List<Event>> history(SqlConnection conn, UUID id) {
    return conn.preparedQuery(HISTORY).execute(Tuple.of(id)).map(rows -> {
      List<Event> events = new ArrayList<>();
      rows.forEach(row -> events.add(Event.fromRow(row)));
      return events;
    });
  }

  /** Puts a dead message back in the queue with a fresh set of attempts; false if it is not dead. */
  public Future<Boolean> requeue(SqlConnection conn, UUID id, String by, Instant now) {
    return conn.preparedQuery(REQUEUE).execute(Tuple.of(id, Timestamps.utc(now)))
        .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
            : event(conn, id, now, "requeued", by).map(true));
  }

  /**
   * Applies a provider's delivery receipt ({@code delivered}, {@code undelivered}) to the message it names;
   * returns the message id, or empty when no sent message has that provider id in this tenant.
   */
  public Future<Optional<UUID>> receipt(SqlConnection conn, String providerMessageId, MessageStatus status,
                                        String detail, Instant now) {
    return conn.preparedQuery(RECEIPT)
        .execute(Tuple.of(providerMessageId, status.wire(), Timestamps.utc(now), detail))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<UUID>empty());
          }
          Row row = rows.iterator().next();
          UUID id = row.getUUID("id");
          return conn.preparedQuery(MessageSql.EVENT).execute(Tuple.of(id, UuidV7.next(), Timestamps.utc(now),
              status.wire(), row.getString("channel"), detail)).map(Optional.of(id));
        });
  }

  private static Future<Void> event(SqlConnection conn, UUID id, Instant at, String status, String detail) {
    return conn.preparedQuery(MessageSql.EVENT)
        .execute(Tuple.of(id, UuidV7.next(), Timestamps.utc(at), status, null, detail)).mapEmpty();
  }
}
