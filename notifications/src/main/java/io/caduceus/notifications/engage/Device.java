package io.caduceus.notifications.engage;

import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A patient app installation that push messages reach through its FCM registration token. */
public record Device(UUID id, UUID patientId, String token, String platform, Instant createdAt) {

  /** Maps a row of {@code device}. */
  public static Device fromRow(Row row) {
    return new Device(row.getUUID("id"), row.getUUID("patient_id"), row.getString("token"), row.getString("platform"),
        row.getOffsetDateTime("created_at").toInstant());
  }
}
