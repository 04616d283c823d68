package io.caduceus.api.billing;

import io.caduceus.api.sql.Rows;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** The clinic's side of eligibility: the visit a question is about, and the answer kept with its appointment. */
final class EligibilityRepository {

  /** A live appointment of a live patient, with the demographics and sealed member id a question carries. */
  record Visit(UUID patientId, OffsetDateTime startsAt, String status, String familyName, LocalDate birthDate,
               byte[] memberIdSealed) {
  }

  /** A live appointment's patient and its last answer (none if it has not been checked). */
  record Kept(UUID patientId, JsonObject answer) {
  }

  /** The visit; empty if the appointment or its patient is gone. */
  Future<Optional<Visit>> visit(SqlConnection conn, UUID appointmentId) {
    return conn.preparedQuery(BillingSql.VISIT_FOR_ELIGIBILITY).execute(Tuple.of(appointmentId))
        .map(rows -> Rows.optional(rows, row -> new Visit(row.getUUID("patient_id"),
            row.getOffsetDateTime("starts_at"), row.getString("status"), row.getString("family_name"),
            row.getLocalDate("birth_date"), row.getBuffer("insurance_member_id_sealed") == null ? null
                : row.getBuffer("insurance_member_id_sealed").getBytes())));
  }

  /** Keeps an answer with the appointment, replacing the last one. */
  Future<Void> store(SqlConnection conn, UUID appointmentId, JsonObject answer) {
    return conn.preparedQuery(BillingSql.ELIGIBILITY_STORE).execute(Tuple.of(appointmentId, answer)).mapEmpty();
  }

  /** What is kept with a live appointment; empty if there is no such appointment. */
  Future<Optional<Kept>> last(SqlConnection conn, UUID appointmentId) {
    return conn.preparedQuery(BillingSql.ELIGIBILITY_FIND).execute(Tuple.of(appointmentId))
        .map(rows -> Rows.optional(rows, row -> new Kept(row.getUUID("patient_id"),
            row.getJsonObject("eligibility"))));
  }
}
