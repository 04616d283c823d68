package io.caduceus.api.telehealth;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;

/**
 * A tenant's telehealth settings: whether it offers virtual visits, how many minutes before the slot a patient may
 * check in, how many may join a video room (an interpreter, a family member) and whether a colleague of the visit's
 * clinician may admit the patient. A tenant that never set them has the defaults at version 0. They are the tenant
 * level of the "telehealth" configuration namespace, kept in the tenant's region for the visits' own statements.
 */
public record TelehealthSettings(boolean virtualVisits, int checkInLeadMinutes, int maxParticipants,
                                 boolean colleaguesMayAdmit, int version, Instant updatedAt) {

  /** The settings of a tenant that never set them: virtual visits off. */
  public static final TelehealthSettings DEFAULTS = new TelehealthSettings(false, 15, 2, false, 0, null);

  static TelehealthSettings fromRow(Row row) {
    return new TelehealthSettings(row.getBoolean("virtual_visits"), row.getInteger("check_in_lead_minutes"),
        row.getInteger("max_participants"), row.getBoolean("colleagues_may_admit"), row.getInteger("version"),
        row.getOffsetDateTime("updated_at").toInstant());
  }

  /** Reads a validated {@code TelehealthSettingsUpdate}; a field left out keeps its current value. */
  TelehealthSettings changedBy(JsonObject body) {
    return new TelehealthSettings(body.getBoolean("virtualVisits", virtualVisits),
        body.getInteger("checkInLeadMinutes", checkInLeadMinutes), body.getInteger("maxParticipants", maxParticipants),
        body.getBoolean("colleaguesMayAdmit", colleaguesMayAdmit), version, updatedAt);
  }

  /** The settings of a tenant's effective "telehealth" keys. */
  static TelehealthSettings of(JsonObject keys) {
    return DEFAULTS.changedBy(keys);
  }

  /** The settings as the "telehealth" configuration namespace's keys. */
  JsonObject values() {
    return new JsonObject().put("virtualVisits", virtualVisits).put("checkInLeadMinutes", checkInLeadMinutes)
        .put("maxParticipants", maxParticipants).put("colleaguesMayAdmit", colleaguesMayAdmit);
  }

  /** The contract's {@code TelehealthSettings}. */
  public JsonObject toJson() {
    return values().put("version", version).put("updatedAt", updatedAt == null ? null : updatedAt.toString());
  }
}
