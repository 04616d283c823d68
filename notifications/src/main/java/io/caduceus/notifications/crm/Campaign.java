package io.caduceus.notifications.crm;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A CRM campaign as stored: its segment, content per channel, optional survey, schedule and run state. */
public record Campaign(UUID id, String name, JsonObject segment, JsonObject content, UUID surveyId,
                       JsonObject schedule, String status, Instant nextRunAt, Instant lastRunAt, int runs,
                       Instant createdAt) {

  static final String COLUMNS = """
      id, name, segment, content, survey_id, schedule, status, next_run_at, last_run_at, runs, created_at""";

  static Campaign fromRow(Row row) {
    return new Campaign(row.getUUID("id"), row.getString("name"), row.getJsonObject("segment"),
        row.getJsonObject("content"), row.getUUID("survey_id"), row.getJsonObject("schedule"), row.getString("status"),
        instant(row.getOffsetDateTime("next_run_at")), instant(row.getOffsetDateTime("last_run_at")),
        row.getInteger("runs"), instant(row.getOffsetDateTime("created_at")));
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
