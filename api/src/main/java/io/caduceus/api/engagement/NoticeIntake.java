package io.caduceus.api.engagement;

import io.caduceus.api.account.AccountNotice;
import io.caduceus.api.account.Purpose;
import io.caduceus.api.auth.mfa.RecoveryNotices;
import io.caduceus.api.emergency.EmergencyAccessReasons;
import io.caduceus.api.onboarding.InvitationNotice;
import io.caduceus.notifications.crm.Surveys;
import io.caduceus.notifications.engage.DeliveryPolicy;
import io.caduceus.notifications.engage.Messages;
import io.caduceus.notifications.engage.NewMessage;
import io.caduceus.notifications.engage.RecipientKind;
import io.caduceus.notifications.engage.SealedLink;
import io.caduceus.notifications.engage.SealedReason;
import io.caduceus.notifications.engage.Settings;
import io.caduceus.notifications.engage.Topic;
import io.caduceus.notifications.outbox.OutboxRecord;
import io.caduceus.notifications.outbox.RelayHandler;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns the domain's notice events into messages, in the tenant that wrote the event. Each message's key is the
 * outbox event's id, so an event delivered twice (after a crash between creating and marking) creates its
 * messages once. A moved or cancelled appointment also cancels its queued reminders (and a virtual visit's "starts
 * in 10 minutes"). A patient invitation becomes an email whose link carries the invitation's token, sealed in the
 * message as it was in the notice. A clinician admitting a virtual visit's patient tells the patient at once. An
 * account notice (password reset, email verification, written in the platform tenant's outbox) becomes an email to
 * the user, its link sealed the same way.
 */
public final class NoticeIntake implements RelayHandler {

  /** The outbox topic families the intake carries. */
  public static final List<String> FAMILIES = List.of("appointment", "lab_result", "prescription", "claim",
      "encounter", "message", "telehealth", InvitationNotice.FAMILY, AccountNotice.FAMILY, RecoveryNotices.FAMILY,
      "emergency_access");
  /** How long after its time a post-visit survey is still worth sending (it waits while the surveys module is off). */
  static final Duration SURVEY_RELEVANCE = Duration.ofDays(7);

  private final TenantDb db;
  private final TenantKeyring keyring;
  private final Messages messages;
  private final Settings settings;
  private final Clock clock;
  private final String appLink;
  private final Surveys surveys = new Surveys();
  private final EngagementStaffRepository staff = new EngagementStaffRepository();
  private final ReminderRepository reminders = new ReminderRepository();
  private final EmergencyAccessReasons reasons = new EmergencyAccessReasons();

  public NoticeIntake(TenantDb db, TenantKeyring keyring, Messages messages, Settings settings, Clock clock,
                      String appLink) {
    this.db = db;
    this.keyring = keyring;
    this.messages = messages;
    this.settings = settings;
    this.clock = clock;
    this.appLink = appLink;
  }

  @Override
  public Future<Void> deliver(TenantContext sender, OutboxRecord event) {
    return db.inTenant(sender, conn -> notices(conn, sender, event).compose(list -> {
      Instant now = clock.instant();
      List<Future<?>> created = new ArrayList<>();
      list.forEach(m -> created.add(messages.enqueue(conn, m, now)));
      return Future.all(created).mapEmpty();
    }));
  }

  private Future<List<NewMessage>> notices(SqlConnection conn, TenantContext sender, OutboxRecord event) {
    JsonObject p = event.payload();
    String key = "event:" + event.id();
    return switch (event.topic()) {
      case "appointment.booked" -> appointment(conn, key, Topic.APPOINTMENT_BOOKED, p);
      case "appointment.changed" -> cancelReminders(conn, p).compose(v -> "booked".equals(p.getString("status"))
          ? appointment(conn, key, Topic.APPOINTMENT_CHANGED, p) : Future.succeededFuture(List.of()));
      case "appointment.cancelled" -> cancelReminders(conn, p)
          .compose(v -> appointment(conn, key, Topic.APPOINTMENT_CANCELLED, p));
      case "lab_result.available" -> one(NewMessage.onEvent(key, Topic.LAB_RESULT_AVAILABLE, p.getString("orderId"),
          RecipientKind.PATIENT, uuid(p, "patientId"), new JsonObject(), false));
      case "lab_result.abnormal" -> p.getString("orderedBy") == null ? none()
          : one(NewMessage.onEvent(key, Topic.LAB_RESULT_ABNORMAL, p.getString("orderId"), RecipientKind.STAFF,
              uuid(p, "orderedBy"), new JsonObject().put("abnormalCount", p.getLong("abnormalResults")),
              p.getBoolean("critical", false)));
      case "prescription.pickup_ready" -> one(NewMessage.onEvent(key, Topic.PRESCRIPTION_READY,
          p.getString("prescriptionId"), RecipientKind.PATIENT, uuid(p, "patientId"), new JsonObject(), false));
      case "claim.status_changed" -> one(NewMessage.onEvent(key, Topic.CLAIM_STATUS_CHANGED, p.getString("claimId"),
          RecipientKind.PATIENT, uuid(p, "patientId"), new JsonObject().put("claimStatus", p.getString("status")),
          false));
      case "encounter.signed" -> afterVisit(conn, key, p);
      case "message.received" -> one(NewMessage.onEvent(key, Topic.MESSAGE_RECEIVED, p.getString("messageId"),
          RecipientKind.PATIENT, uuid(p, "patientId"), new JsonObject(), false));
      case "telehealth.ready" -> clinicianReady(conn, key, p);
      case "emergency_access.opened" -> emergencyAccess(conn, sender, key, p);
      case InvitationNotice.TOPIC -> invitation(sender, key, p);
      case RecoveryNotices.TOPIC -> one(NewMessage.onEvent(key, Topic.ACCOUNT_SECURITY, p.getString("userId"),
          RecipientKind.STAFF, uuid(p, "userId"), new JsonObject(), true));
      default -> AccountNotice.purpose(event.topic()).map(purpose -> account(sender, key, purpose, p))
          .orElseGet(NoticeIntake::none);
    };
  }

  /**
   * The invitation's email: sent whatever the hour or the day's count (the patient asked for it at the desk), by
   * email only, until the invitation expires. The link is opened from the notice and sealed again in the message,
   * in memory; the app takes the token from the fragment, which no web server or proxy ever logs.
   */
  private Future<List<NewMessage>> invitation(TenantContext sender, String key, JsonObject p) {
    return keyring.keys(sender.tenantId()).map(keys -> {
      String link = appLink + "/invitations/accept#token=" + InvitationNotice.token(keys, p);
      return List.of(new NewMessage(key, Topic.ACCOUNT_INVITATION, "event", p.getString("invitationId"),
          RecipientKind.PATIENT, uuid(p, "patientId"), SealedLink.variables(keys, key, link), true, null,
          Instant.parse(p.getString("expiresAt")), null));
    });
  }

  /**
   * An account email (password reset, email verification) to a user, sent by the platform's tenant: by email only,
   * whatever the hour or the day's count, until its token expires. Its link is opened from the notice and sealed
   * again in the message, in memory, as an invitation's is.
   */
  private Future<List<NewMessage>> account(TenantContext sender, String key, Purpose purpose, JsonObject p) {
    Topic topic = purpose == Purpose.PASSWORD_RESET ? Topic.PASSWORD_RESET : Topic.EMAIL_VERIFICATION;
    return keyring.keys(sender.tenantId()).map(keys -> List.of(new NewMessage(key, topic, "event",
        p.getString("tokenId"), RecipientKind.STAFF, uuid(p, "userId"),
        SealedLink.variables(keys, key, AccountNotice.link(keys, purpose, appLink, p)), true, null,
        Instant.parse(p.getString("expiresAt")), null)));
  }

  /** A booking's, change's or cancellation's notice, telling the visit's time in its facility's zone if it has one. */
  private Future<List<NewMessage>> appointment(SqlConnection conn, String key, Topic topic, JsonObject p) {
    Future<Optional<String>> zone = p.getString("facilityId") == null ? Future.succeededFuture(Optional.empty())
        : reminders.facilityZone(conn, uuid(p, "facilityId"));
    return zone.compose(facilityZone -> staff.name(conn, uuid(p, "practitionerId")).map(practitioner -> {
      JsonObject variables = new JsonObject().put("appointmentStart", p.getString("start"));
      practitioner.ifPresent(name -> variables.put("practitionerName", name));
      facilityZone.ifPresent(z -> variables.put(DeliveryPolicy.APPOINTMENT_TIME_ZONE, z));
      Instant start = Instant.parse(p.getString("start"));
      return List.of(new NewMessage(key, topic, "event", p.getString("appointmentId"), RecipientKind.PATIENT,
          uuid(p, "patientId"), variables, false, null, topic == Topic.APPOINTMENT_CANCELLED ? null : start, null));
    }));
  }

  /**
   * "Your clinician is ready": the patient is expected to be watching for it, so it is critical (it passes quiet
   * hours and the daily cap, never an opt-out) and worthless once the visit is over.
   */
  private Future<List<NewMessage>> clinicianReady(SqlConnection conn, String key, JsonObject p) {
    return staff.name(conn, uuid(p, "practitionerId")).map(practitioner -> {
      JsonObject variables = new JsonObject();
      practitioner.ifPresent(name -> variables.put("practitionerName", name));
      return List.of(new NewMessage(key, Topic.TELEHEALTH_READY, "event", p.getString("sessionId"),
          RecipientKind.PATIENT, uuid(p, "patientId"), variables, true, null,
          Instant.parse(p.getString("expiresAt")), null));
    });
  }

  /**
   * An emergency access was opened: a critical alert for each of the tenant's privacy officers named in the notice,
   * naming the staff member and the access (its id), never the patient. The stated reason is read from the access
   * (the notice does not carry it) and sealed into each alert ({@link SealedReason}): it may describe the patient,
   * so it goes out by email only and rests nowhere in clear.
   */
  private Future<List<NewMessage>> emergencyAccess(SqlConnection conn, TenantContext sender, String key,
                                                   JsonObject p) {
    JsonObject variables = new JsonObject();
    if (p.getString("staffName") != null) {
      variables.put("practitionerName", p.getString("staffName"));
    }
    return reasons.of(conn, sender.tenantId(), uuid(p, "accessId"))
        .compose(reason -> keyring.keys(sender.tenantId()).map(keys -> p.getJsonArray("privacyOfficers").stream()
            .map(officer -> {
              String messageKey = key + ":" + officer;
              JsonObject own = reason.map(r -> SealedReason.add(variables.copy(), keys, messageKey, r))
                  .orElseGet(variables::copy);
              return NewMessage.onEvent(messageKey, Topic.EMERGENCY_ACCESS_OPENED, p.getString("accessId"),
                  RecipientKind.STAFF, UUID.fromString((String) officer), own, true);
            }).toList()));
  }

  /** The visit's queued reminders, and a virtual visit's "starts in 10 minutes" (keyed by its session). */
  private Future<Void> cancelReminders(SqlConnection conn, JsonObject p) {
    Future<Integer> reminders = messages.cancel(conn, p.getString("appointmentId"),
        List.of(Topic.APPOINTMENT_REMINDER), "the appointment changed", clock.instant());
    String session = p.getString("sessionId");
    return session == null ? reminders.mapEmpty() : reminders.compose(n -> messages.cancel(conn, session,
        List.of(Topic.TELEHEALTH_STARTING), "the appointment changed", clock.instant())).mapEmpty();
  }

  /**
   * A signed encounter asks the patient back after the tenant's follow-up interval, and asks how the visit was
   * after its survey delay (if it has an after-visit survey): each only if the tenant set its interval. The survey is
   * made whatever the tenant's {@code surveys} module; while that is off the dispatcher holds it ({@link ModuleHolds}),
   * and it goes out once the module is on again if that is within {@link #SURVEY_RELEVANCE} of its time, else it
   * expires (recorded with its reason): a visit's survey weeks later asks about a visit the patient has forgotten.
   * Its portal invitation expires with it (neither listed nor answerable after its message's {@code expiresAt}).
   */
  private Future<List<NewMessage>> afterVisit(SqlConnection conn, String key, JsonObject p) {
    UUID patient = uuid(p, "patientId");
    Instant now = clock.instant();
    return settings.find(conn).compose(s -> {
      List<NewMessage> list = new ArrayList<>();
      if (s.followUpDays() != null) {
        list.add(new NewMessage(key + ":follow_up", Topic.FOLLOW_UP, "reminder", p.getString("encounterId"),
            RecipientKind.PATIENT, patient, new JsonObject(), false, now.plus(Duration.ofDays(s.followUpDays())),
            null, null));
      }
      if (s.surveyDelayHours() == null) {
        return Future.succeededFuture(list);
      }
      Instant surveyAt = now.plus(Duration.ofHours(s.surveyDelayHours()));
      Instant expiresAt = surveyAt.plus(SURVEY_RELEVANCE);
      return surveys.inviteAfterVisit(conn, UuidV7.next(), patient, "encounter:" + p.getString("encounterId"),
              expiresAt)
          .map(invited -> {
            invited.ifPresent(invitation -> list.add(new NewMessage(key + ":survey", Topic.SURVEY, "survey",
                p.getString("encounterId"), RecipientKind.PATIENT, patient,
                new JsonObject().put("link", appLink + "/surveys/" + invitation), false, surveyAt, expiresAt,
                null)));
            return list;
          });
    });
  }

  private static Future<List<NewMessage>> one(NewMessage m) {
    return Future.succeededFuture(List.of(m));
  }

  private static Future<List<NewMessage>> none() {
    return Future.succeededFuture(List.of());
  }

  private static UUID uuid(JsonObject p, String field) {
    return UUID.fromString(p.getString(field));
  }
}
