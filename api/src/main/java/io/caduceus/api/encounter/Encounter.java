package io.caduceus.api.encounter;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * A visit as documented: the header (who, when, open or signed) and the clinical content (notes, vitals,
 * diagnoses, procedures, addenda). Lists carry only the header; the entries are loaded with one encounter.
 */
public record Encounter(UUID id, UUID appointmentId, UUID patientId, UUID practitionerId, EncounterStatus status,
                        String notes, UUID openedBy, Instant openedAt, UUID signedBy, Instant signedAt, int version,
                        Instant updatedAt, JsonArray vitals, JsonArray diagnoses, JsonArray procedures,
                        JsonArray addenda, String modality, UUID telehealthSessionId) {

  /** Maps a row of {@link EncounterSql#HEADER} or {@link EncounterSql#FULL}. */
  static Encounter fromRow(Row row) {
    boolean full = row.getColumnIndex("vitals") >= 0;
    return new Encounter(row.getUUID("id"), row.getUUID("appointment_id"), row.getUUID("patient_id"),
        row.getUUID("practitioner_id"), EncounterStatus.fromWire(row.getString("status")), row.getString("notes"),
        row.getUUID("opened_by"), row.getOffsetDateTime("opened_at").toInstant(), row.getUUID("signed_by"),
        row.getOffsetDateTime("signed_at") == null ? null : row.getOffsetDateTime("signed_at").toInstant(),
        row.getInteger("version"), row.getOffsetDateTime("updated_at").toInstant(),
        full ? (JsonArray) row.getJson("vitals") : null, full ? (JsonArray) row.getJson("diagnoses") : null,
        full ? (JsonArray) row.getJson("procedures") : null, full ? (JsonArray) row.getJson("addenda") : null,
        row.getString("modality"), full ? row.getUUID("telehealth_session_id") : null);
  }

  /** Whether the encounter is signed, and so closed to anything but addenda. */
  public boolean signed() {
    return status == EncounterStatus.SIGNED;
  }

  /**
   * The contract's {@code Encounter}, projected for the caller: clinicians see everything; billing sees the
   * diagnoses and procedures it codes a claim from; anyone else (a receptionist) sees the header only.
   */
  public JsonObject toJson(TenantContext ctx) {
    JsonObject json = new JsonObject()
        .put("id", id.toString())
        .put("appointmentId", appointmentId.toString())
        .put("patientId", patientId.toString())
        .put("practitionerId", practitionerId.toString())
        .put("status", status.wire())
        .put("modality", modality)
        .put("openedAt", openedAt.toString())
        .put("signedAt", signedAt == null ? null : signedAt.toString())
        .put("version", version)
        .put("updatedAt", updatedAt.toString());
    if (telehealthSessionId != null) {
      // Its chat is read at /v1/telehealth/sessions/{id}/messages, by the visit's patient and clinician.
      json.put("telehealthSessionId", telehealthSessionId.toString());
    }
    boolean clinical = Access.has(ctx, Permission.PATIENT_CLINICAL_READ);
    if (clinical && vitals != null) {
      json.put("notes", notes).put("vitals", vitals).put("addenda", addenda);
    }
    if ((clinical || Access.has(ctx, Permission.BILLING)) && diagnoses != null) {
      json.put("diagnoses", diagnoses).put("procedures", procedures);
    }
    return json;
  }
}
