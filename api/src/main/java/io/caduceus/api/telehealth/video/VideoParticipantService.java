package io.caduceus.api.telehealth.video;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.notifications.channel.TwilioWebhookSignature;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Who joined and left a session's video room, for the record: taken from Twilio's room status callbacks (nothing
 * is believed before the signature verifies under the tenant's own auth token and the account named is the
 * tenant's), and read back by those who may read the session.
 */
public final class VideoParticipantService {

  private static final UUID WEBHOOK = new UUID(0, 12);
  private static final Set<String> RECORDED = Set.of("participant-connected", "participant-disconnected", "room-ended");

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final VideoCredentialRepository credentials;
  private final VideoEventRepository events = new VideoEventRepository();
  private final VideoRoomRepository rooms = new VideoRoomRepository();
  private final Clock clock;

  public VideoParticipantService(TenantDb db, TenantCatalog catalog, TenantKeyring keyring, Clock clock) {
    this.db = db;
    this.catalog = catalog;
    this.credentials = new VideoCredentialRepository(keyring);
    this.clock = clock;
  }

  /**
   * Applies a room status callback: a participant's join or leave, or the room's end, recorded once per room sid
   * and sequence number against the session the room's unique name names. Other events, and rooms of no session of
   * the tenant, are acknowledged and ignored.
   */
  public Future<Void> callback(TenantId tenant, String url, Map<String, String> form, String signature) {
    String event = form.getOrDefault("StatusCallbackEvent", "");
    return verified(tenant, url, form, signature).compose(ctx -> {
      Integer sequence = integer(form.get("SequenceNumber"));
      String roomSid = form.get("RoomSid");
      String roomName = form.get("RoomName");
      if (!RECORDED.contains(event) || sequence == null || roomSid == null || roomName == null) {
        return Future.<Void>succeededFuture();
      }
      VideoParticipantEvent happened = new VideoParticipantEvent(event, form.get("ParticipantIdentity"),
          form.get("ParticipantSid"), roomSid, instant(form.get("Timestamp")));
      return db.inTenant(ctx, conn -> events.sessionOfRoom(conn, roomName).compose(session -> session.isEmpty()
          ? Future.<Void>succeededFuture()
          : events.record(conn, session.get(), roomSid, sequence, happened).compose(fresh ->
              "room-ended".equals(event) ? rooms.complete(conn, roomSid) : Future.<Void>succeededFuture())));
    });
  }

  /** The session's join/leave record; NotFound for a session the actor cannot see (another tenant's or patient's). */
  public Future<List<VideoParticipantEvent>> list(TenantContext ctx, UUID sessionId) {
    return Access.check(ctx, Permission.APPOINTMENT_READ)
        .compose(v -> db.inTenant(ctx, conn -> events.patientOfSession(conn, sessionId).compose(patient -> {
          if (patient.isEmpty()) {
            return Future.failedFuture(new NotFound("no such telehealth session"));
          }
          ctx.audit().patient(patient.get());
          return events.ofSession(conn, sessionId);
        })));
  }

  private Future<TenantContext> verified(TenantId tenant, String url, Map<String, String> form, String signature) {
    return catalog.find(tenant).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new NotFound("no such tenant"));
      }
      TenantContext ctx = TenantContext.system(tenant, found.get().dataRegion(), found.get().tier(), WEBHOOK,
          Set.of(), "twilio-video-webhook");
      return db.once(ctx, conn -> credentials.find(conn, ctx)).compose(account -> {
        if (account.isEmpty() || signature == null || !account.get().accountSid().equals(form.get("AccountSid"))
            || !new TwilioWebhookSignature(account.get().authToken()).valid(url, form, signature)) {
          return Future.failedFuture(new Forbidden("the request is not signed by the tenant's Twilio account"));
        }
        return Future.succeededFuture(ctx);
      });
    });
  }

  private static Integer integer(String text) {
    try {
      return text == null ? null : Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Twilio's event time: ISO 8601 as documented, RFC 1123 as some callbacks send it; else when it arrived. */
  private Instant instant(String text) {
    if (text == null) {
      return clock.instant();
    }
    try {
      return Instant.parse(text.trim());
    } catch (DateTimeParseException e) {
      try {
        return ZonedDateTime.parse(text.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException again) {
        return clock.instant();
      }
    }
  }
}
