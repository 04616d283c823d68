package io.caduceus.api.engagement;

import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Secure messages between the clinic and a patient, on the connection {@code TenantDb} opened for the tenant. */
final class SecureMessageRepository {

  /** Stores a new message ({@code direction} "to_patient" or "from_patient") sent by the caller. */
  Future<JsonObject> insert(SqlConnection conn, TenantContext ctx, UUID patient, String direction, String sender,
                            String subject, String body) {
    return conn.preparedQuery(SecureMessageSql.INSERT).execute(Tuple.from(new Object[] {UuidV7.next(), patient,
        direction, ctx.userId(), sender, subject, body})).map(rows -> json(rows.iterator().next()));
  }

  /** The patient's thread, newest first. */
  Future<List<JsonObject>> thread(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(SecureMessageSql.THREAD).execute(Tuple.of(patient))
        .map(rows -> Rows.list(rows, SecureMessageRepository::json));
  }

  /** One message of the patient's thread; empty if the thread has no such message. */
  Future<Optional<JsonObject>> find(SqlConnection conn, UUID patient, UUID id) {
    return conn.preparedQuery(SecureMessageSql.ONE).execute(Tuple.of(id, patient))
        .map(rows -> Rows.optional(rows, SecureMessageRepository::json));
  }

  private static JsonObject json(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString())
        .put("patientId", row.getUUID("patient_id").toString()).put("direction", row.getString("direction"))
        .put("senderName", row.getString("sender_name")).put("subject", row.getString("subject"))
        .put("body", row.getString("body"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
