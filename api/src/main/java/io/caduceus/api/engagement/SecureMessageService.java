package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Secure messages between the clinic and its patient. Staff write to a patient (who is told "you have a new secure
 * message" on their channels, never the text) and read the thread; the patient reads it and writes back in the app.
 */
public final class SecureMessageService {

  /** The outbox topic of a message to a patient. */
  public static final String RECEIVED = "message.received";

  private static final String COLUMNS = "id, patient_id, direction, sender_name, subject, body, created_at";
  private static final String INSERT = "INSERT INTO secure_message (tenant_id, id, patient_id, direction,"
      + " sender_user_id, sender_name, subject, body) VALUES (current_setting('app.tenant_id')::uuid, $1, $2, $3, $4,"
      + " $5, $6, $7) RETURNING " + COLUMNS;
  private static final String THREAD = "SELECT " + COLUMNS + " FROM secure_message WHERE patient_id = $1"
      + " ORDER BY created_at DESC, id DESC LIMIT 100";
  private static final String ONE = "SELECT " + COLUMNS + " FROM secure_message WHERE id = $1 AND patient_id = $2";
  private static final String PATIENT = "SELECT given_name, family_name FROM patient WHERE id = $1"
      + " AND deleted_at IS NULL";

  private final TenantDb db;
  private final UserRepository users;
  private final Outbox outbox;

  public SecureMessageService(TenantDb db, UserRepository users, Outbox outbox) {
    this.db = db;
    this.users = users;
    this.outbox = outbox;
  }

  /** Staff write to a patient; the notice of it commits with the message. */
  public Future<JsonObject> send(TenantContext ctx, UUID patient, String subject, String body) {
    return Access.check(ctx, Permission.SECURE_MESSAGES)
        .compose(v -> users.displayNames(List.of(ctx.userId())))
        .compose(names -> db.inTenant(ctx, conn -> patientName(conn, patient)
            .compose(x -> insert(conn, ctx, patient, "to_patient", names.getOrDefault(ctx.userId(), "Your care team"),
                subject, body))
            .compose(m -> outbox.append(conn, ctx.tenantId(), new OutboxMessage(RECEIVED, patient.toString(),
                    new JsonObject().put("messageId", m.getString("id")).put("patientId", patient.toString())))
                .map(m))));
  }

  /** The patient writes back to the clinic. */
  public Future<JsonObject> reply(TenantContext ctx, String subject, String body) {
    UUID patient = self(ctx);
    ctx.audit().patient(patient);
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> db.inTenant(ctx, conn -> patientName(conn, patient)
            .compose(name -> insert(conn, ctx, patient, "from_patient", name, subject, body))));
  }

  /** A patient's thread, newest first: staff with the permission, or the patient themself ({@code patient} null). */
  public Future<List<JsonObject>> thread(TenantContext ctx, UUID patient) {
    UUID who = patient == null ? self(ctx) : patient;
    ctx.audit().about(who).patient(who);
    return Access.check(ctx, patient == null ? Permission.PORTAL : Permission.SECURE_MESSAGES)
        .compose(v -> db.inTenant(ctx, conn -> patientName(conn, who)
            .compose(x -> conn.preparedQuery(THREAD).execute(Tuple.of(who)))))
        .map(rows -> {
          List<JsonObject> thread = new ArrayList<>();
          rows.forEach(row -> thread.add(json(row)));
          return thread;
        });
  }

  /** One message of a patient's thread: staff with the permission, or the patient themself ({@code patient} null). */
  public Future<JsonObject> message(TenantContext ctx, UUID patient, UUID id) {
    UUID who = patient == null ? self(ctx) : patient;
    ctx.audit().patient(who);
    return Access.check(ctx, patient == null ? Permission.PORTAL : Permission.SECURE_MESSAGES)
        .compose(v -> db.inTenant(ctx, conn -> patientName(conn, who)
            .compose(x -> conn.preparedQuery(ONE).execute(Tuple.of(id, who)))
            .compose(rows -> rows.size() == 0 ? Future.<JsonObject>failedFuture(new NotFound("no such message"))
                : Future.succeededFuture(json(rows.iterator().next())))));
  }

  private static Future<JsonObject> insert(SqlConnection conn, TenantContext ctx, UUID patient, String direction,
                                           String sender, String subject, String body) {
    return conn.preparedQuery(INSERT).execute(Tuple.from(new Object[] {UuidV7.next(), patient, direction,
        ctx.userId(), sender, subject, body})).map(rows -> json(rows.iterator().next()));
  }

  private static Future<String> patientName(SqlConnection conn, UUID patient) {
    return conn.preparedQuery(PATIENT).execute(Tuple.of(patient)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new NotFound("no such patient"))
        : Future.succeededFuture(rows.iterator().next().getString("given_name") + " "
            + rows.iterator().next().getString("family_name")));
  }

  private static UUID self(TenantContext ctx) {
    return ctx.patientId().orElseThrow(() -> new Forbidden("only a patient has their own messages"));
  }

  private static JsonObject json(Row row) {
    return new JsonObject().put("id", row.getUUID("id").toString()).put("patientId", row.getUUID("patient_id").toString())
        .put("direction", row.getString("direction")).put("senderName", row.getString("sender_name"))
        .put("subject", row.getString("subject")).put("body", row.getString("body"))
        .put("createdAt", row.getOffsetDateTime("created_at").toInstant().toString());
  }
}
