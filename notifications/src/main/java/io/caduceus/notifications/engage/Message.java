package io.caduceus.notifications.engage;

import io.caduceus.notifications.channel.Channel;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/** A message as stored: its cause, its recipient, and where its delivery stands. */
public record Message(
    UUID id,
    String idempotencyKey,
    Topic topic,
    String source,
    String subjectRef,
    RecipientKind recipientKind,
    UUID recipientId,
    JsonObject variables,
    boolean critical,
    MessageStatus status,
    String channel,
    Set<Channel> goneChannels,
    int attempts,
    UUID attemptId,
    Instant sendingSince,
    Instant nextAttemptAt,
    Instant expiresAt,
    String provider,
    String providerMessageId,
    String addressHint,
    JsonObject content,
    String lastError,
    UUID campaignId,
    Instant createdAt,
    Instant updatedAt,
    Instant sentAt) {

  /** Maps a row of {@link MessageSql#COLUMNS}. */
  public static Message fromRow(Row row) {
    Set<Channel> gone = EnumSet.noneOf(Channel.class);
    Arrays.stream(row.getArrayOfStrings("gone_channels")).map(Channel::fromWire).forEach(gone::add);
    return new Message(row.getUUID("id"), row.getString("idempotency_key"),
        Topic.fromWire(row.getString("topic")).orElseThrow(), row.getString("source"), row.getString("subject_ref"),
        RecipientKind.fromWire(row.getString("recipient_kind")), row.getUUID("recipient_id"),
        row.getJsonObject("variables"), row.getBoolean("critical"), MessageStatus.fromWire(row.getString("status")),
        row.getString("channel"), gone, row.getInteger("attempts"), row.getUUID("attempt_id"),
        instant(row, "sending_since"), instant(row, "next_attempt_at"), instant(row, "expires_at"),
        row.getString("provider"), row.getString("provider_message_id"), row.getString("address_hint"),
        row.getJsonObject("content"), row.getString("last_error"), row.getUUID("campaign_id"),
        instant(row, "created_at"), instant(row, "updated_at"), instant(row, "sent_at"));
  }

  /** Whether the message was left in {@code sending} by a dispatcher that did not come back to record it. */
  public boolean orphaned() {
    return status == MessageStatus.SENDING;
  }

  /**
   * Whether an earlier attempt on {@code next} ended without a clear answer (a timeout, a dropped connection): the
   * provider may have the message, so the next attempt looks it up before sending again.
   */
  public boolean retried(Channel next) {
    return attempts > 0 && content != null && sendingSince != null && next.wire().equals(channel);
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime at = row.getOffsetDateTime(column);
    return at == null ? null : at.toInstant();
  }
}
