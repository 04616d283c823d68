package io.caduceus.api.patient;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/**
 * A patient record as stored: its writable {@link PatientValues} and what the database keeps. National id and
 * insurance member id stay sealed here; {@link PatientView} opens them only for a caller allowed to see them.
 */
public record Patient(UUID id, PatientValues values, int version, Instant createdAt, Instant updatedAt) {

  /** Maps a row of {@link PatientSql#COLUMNS}. */
  public static Patient fromRow(Row row) {
    PatientValues values = new PatientValues(
        row.getString("mrn"),
        row.getString("family_name"),
        row.getString("given_name"),
        row.getLocalDate("birth_date"),
        row.getString("sex"),
        row.getString("preferred_language"),
        row.getJsonObject("contact"),
        row.getJsonObject("insurance"),
        bytes(row, "insurance_member_id_sealed"),
        bytes(row, "national_id_sealed"),
        row.getJsonObject("clinical"));
    return new Patient(row.getUUID("id"), values, row.getInteger("version"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  /** The sealing binding of the national id: moving the ciphertext to another row or tenant breaks it. */
  static String nationalIdBinding(UUID id) {
    return "patient.national_id/" + id;
  }

  /** The sealing binding of the insurance member id. */
  public static String memberIdBinding(UUID id) {
    return "patient.insurance_member_id/" + id;
  }

  private static byte[] bytes(Row row, String column) {
    Buffer sealed = row.getBuffer(column);
    return sealed == null ? null : sealed.getBytes();
  }
}
