package io.caduceus.api.engagement;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.config.EffectiveConfig;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.portal.PortalSettings;
import io.caduceus.notifications.outbox.Outbox;
import io.caduceus.notifications.outbox.OutboxMessage;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.List;
import java.util.UUID;

/**
 * Secure messages between the clinic and its patient. Staff write to a patient (who is told "you have a new secure
 * message" on their channels, never the text) and read the thread; the patient reads it and writes back in the app.
 */
public final class SecureMessageService {

  /** The outbox topic of a message to a patient. */
  public static final String RECEIVED = "message.received";

  private final TenantDb db;
  private final UserRepository users;
  private final Outbox outbox;
  private final SecureMessageRepository messages = new SecureMessageRepository();
  private final EngagementPatientRepository patients = new EngagementPatientRepository();
  private final EffectiveConfig config;

  public SecureMessageService(TenantDb db, UserRepository users, Outbox outbox, EffectiveConfig config) {
    this.db = db;
    this.users = users;
    this.outbox = outbox;
    this.config = config;
  }

  /** Staff write to a patient; the notice of it commits with the message. */
  public Future<JsonObject> send(TenantContext ctx, UUID patient, String subject, String body) {
    return Access.check(ctx, Permission.SECURE_MESSAGES)
        .compose(v -> users.displayNames(List.of(ctx.userId())))
        .compose(names -> db.inTenant(ctx, conn -> patientName(conn, patient)
            .compose(x -> messages.insert(conn, ctx, patient, "to_patient",
                names.getOrDefault(ctx.userId(), "Your care team"), subject, body))
            .compose(m -> outbox.append(conn, ctx.tenantId(), new OutboxMessage(RECEIVED, patient.toString(),
                    new JsonObject().put("messageId", m.getString("id")).put("patientId", patient.toString())))
                .map(m))));
  }

  /** The patient writes back to the clinic, unless its portal settings keep patients to reading. */
  public Future<JsonObject> reply(TenantContext ctx, String subject, String body) {
    UUID patient = self(ctx);
    ctx.audit().patient(patient);
    return Access.check(ctx, Permission.PORTAL)
        .compose(v -> PortalSettings.of(config, ctx).patientMessages() ? Future.<Void>succeededFuture()
            : Future.failedFuture(new Forbidden("this clinic does not take secure messages from the app; contact it"
                + " another way")))
        .compose(v -> db.inTenant(ctx, conn -> patientName(conn, patient)
            .compose(name -> messages.insert(conn, ctx, patient, "from_patient", name, subject, body))));
  }

  /** A patient's thread, newest first: staff with the permission, or the patient themself ({@code patient} null). */
  public Future<List<JsonObject>> thread(TenantContext ctx, UUID patient) {
    UUID who = patient == null ? self(ctx) : patient;
    ctx.audit().about(who).patient(who);
    return Access.check(ctx, patient == null ? Permission.PORTAL : Permission.SECURE_MESSAGES)
        .compose(v -> db.inTenant(ctx, conn -> patientName(conn, who)
            .compose(x -> messages.thread(conn, who))));
  }

  /** One message of a patient's thread: staff with the permission, or the patient themself ({@code patient} null). */
  public Future<JsonObject> message(TenantContext ctx, UUID patient, UUID id) {
    UUID who = patient == null ? self(ctx) : patient;
    ctx.audit().patient(who);
    return Access.check(ctx, patient == null ? Permission.PORTAL : Permission.SECURE_MESSAGES)
        .compose(v -> db.inTenant(ctx, conn -> patientName(conn, who)
            .compose(x -> messages.find(conn, who, id))
            .map(found -> found.orElseThrow(() -> new NotFound("no such message")))));
  }

  private Future<String> patientName(SqlConnection conn, UUID patient) {
    return patients.name(conn, patient).map(name -> name.orElseThrow(() -> new NotFound("no such patient")));
  }

  private static UUID self(TenantContext ctx) {
    return ctx.patientId().orElseThrow(() -> new Forbidden("only a patient has their own messages"));
  }
}
