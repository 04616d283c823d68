package io.caduceus.api.organisation;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A patient on a care team, and since when. */
public record CareTeamPatient(UUID patientId, Instant addedAt) {

  /** Maps a row of {@link OrganisationSql#CARE_TEAM_PATIENTS}. */
  static CareTeamPatient fromRow(Row row) {
    return new CareTeamPatient(row.getUUID("patient_id"), row.getOffsetDateTime("added_at").toInstant());
  }

  /** The contract's {@code CareTeamPatient}. */
  public JsonObject toJson() {
    return new JsonObject().put("patientId", patientId.toString()).put("addedAt", addedAt.toString());
  }
}
