package io.caduceus.api.telehealth;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.live.TelehealthViews;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.caduceus.api.telehealth.video.VideoToken;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What each participant sees of a virtual visit: its session, the waiting rooms and a seat in its chat, read under
 * the caller's own permissions and row-level security (another tenant's or another patient's session is not
 * found), and the video tokens of the participants while the visit is in progress. The live-events layer reads
 * through the same methods ({@link TelehealthViews}), so a socket never shows more than the REST API.
 */
public final class TelehealthService implements TelehealthViews {

  /** The longest a video token lives; it is never valid past half an hour after the slot ends either. */
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(30);
  /** The shortest a token is minted for, so a visit that overran can still be joined for a while. */
  static final Duration TOKEN_MINIMUM = Duration.ofMinutes(5);

  private final TenantDb db;
  private final VideoRooms video;
  private final Clock clock;
  private final TelehealthRepository repository = new TelehealthRepository();

  public TelehealthService(TenantDb db, VideoRooms video, Clock clock) {
    this.db = db;
    this.video = video;
    this.clock = clock;
  }

  @Override
  public Future<JsonObject> session(TenantContext ctx, UUID sessionId) {
    return visible(ctx, sessionId).map(TelehealthSession::toJson);
  }

  @Override
  public Future<JsonObject> waitingRoom(TenantContext ctx, UUID practitionerId) {
    return Access.check(ctx, Permission.APPOINTMENT_READ)
        .compose(v -> ctx.actsAsPatient() ? Future.failedFuture(new Forbidden("the waiting room is the clinic's"))
            : db.once(ctx, conn -> repository.waiting(conn, practitionerId)))
        .map(entries -> {
          ctx.audit().patients(entries.stream().map(WaitingEntry::patientId).toList());
          JsonArray items = new JsonArray();
          entries.forEach(e -> items.add(e.toJson(ctx)));
          return new JsonObject().put("practitionerId", practitionerId == null ? null : practitionerId.toString())
              .put("items", items);
        });
  }

  @Override
  public Future<ChatSeat> chatSeat(TenantContext ctx, UUID sessionId) {
    return db.once(ctx, conn -> repository.find(conn, ctx, sessionId)).map(found -> {
      TelehealthSession s = found(found);
      boolean open = !s.status().isFinal();
      if (ctx.actsAsPatient()) {
        return new ChatSeat(s.id(), s.patientId(), s.practitionerId(), "patient", s.patientName(), open);
      }
      if (!s.isClinicianSide(ctx.userId())) {
        // A staff guest (clinical staff the clinician invited) takes part like a participant while the visit is on;
        // ending it ends every guest's access. Nobody else takes part.
        if (s.viewer().staffGuest() && open && Access.has(ctx, Permission.PATIENT_CLINICAL_READ)) {
          String name = s.viewer().name() != null ? s.viewer().name() : "Staff";
          return new ChatSeat(s.id(), s.patientId(), s.practitionerId(), "staff", name, open);
        }
        throw new Forbidden("only the participants of the visit take part in its chat");
      }
      String name = s.viewer().name() != null ? s.viewer().name() : s.clinicianName();
      return new ChatSeat(s.id(), s.patientId(), s.practitionerId(), "clinician", name, open);
    });
  }

  /**
   * A video token for the caller, who must be a participant of the session (its patient, its clinician, the
   * colleague who admitted the patient or a staff guest), while the visit is in progress. The identity is the user id (no PHI).
   */
  public Future<VideoToken> videoToken(TenantContext ctx, UUID sessionId) {
    return visible(ctx, sessionId).compose(s -> {
      if (!ctx.actsAsPatient() && !s.isClinicianSide(ctx.userId()) && !s.viewer().staffGuest()) {
        return Future.failedFuture(new Forbidden("only the participants of the visit join its video"));
      }
      if (s.status() != SessionStatus.IN_PROGRESS) {
        return Future.failedFuture(new Conflict(s.status().isFinal() ? "the visit is over"
            : "the video room opens when the clinician admits the patient"));
      }
      return video.token(ctx, s.room(), ctx.userId().toString(), expiry(s));
    });
  }

  /** Half an hour at most, and not past half an hour after the slot (but at least a few minutes from now). */
  Instant expiry(TelehealthSession s) {
    return expiry(s.slotEnd(), clock);
  }

  /** {@link #expiry(TelehealthSession)} for a slot ending at {@code slotEnd}. */
  static Instant expiry(Instant slotEnd, Clock clock) {
    Instant now = clock.instant();
    Instant afterSlot = slotEnd.plus(TOKEN_LIFETIME);
    Instant latest = now.plus(TOKEN_LIFETIME);
    Instant earliest = now.plus(TOKEN_MINIMUM);
    Instant chosen = afterSlot.isBefore(latest) ? afterSlot : latest;
    return chosen.isBefore(earliest) ? earliest : chosen;
  }

  /** The session, if the caller may read appointments and sees it; names its patient in the request's record. */
  private Future<TelehealthSession> visible(TenantContext ctx, UUID sessionId) {
    return Access.check(ctx, Permission.APPOINTMENT_READ)
        .compose(v -> db.once(ctx, conn -> repository.find(conn, ctx, sessionId)))
        .map(TelehealthService::found)
        .onSuccess(s -> ctx.audit().patient(s.patientId()));
  }

  static TelehealthSession found(Optional<TelehealthSession> session) {
    return session.orElseThrow(() -> new NotFound("no such telehealth session"));
  }
}
