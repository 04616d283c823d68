package io.caduceus.api.telehealth;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.access.Role;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.live.LiveChange;
import io.caduceus.api.live.LiveChanges;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.Membership;
import io.caduceus.routing.catalog.Memberships;
import io.caduceus.routing.keys.SecretTokens;
import io.caduceus.routing.keys.TenantSecrets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A virtual visit's guests, invited and revoked by whoever may admit its patient (the visit's clinician, or a
 * colleague where the tenant allows it) and seen by them and the patient. Every guest takes a seat of the tenant's
 * {@code maxParticipants} beside the patient, the clinician and an admitting colleague; once the room is open its
 * size is fixed. An external guest's single-use code is answered once, at invitation, and stored hashed. Each
 * change is announced to the session's live watchers in its transaction; a revoked guest in the room is
 * disconnected through the video provider after the commit.
 */
public final class GuestService {

  /** The longest an external guest's code lives after the visit's slot ends (the visit ending ends it sooner). */
  static final Duration CODE_GRACE = Duration.ofHours(2);
  private static final Logger LOG = LoggerFactory.getLogger(GuestService.class);

  private final TenantDb db;
  private final Memberships memberships;
  private final VideoRooms video;
  private final Clock clock;
  private final TelehealthRepository sessions = new TelehealthRepository();
  private final GuestRepository guests = new GuestRepository();

  public GuestService(TenantDb db, Memberships memberships, VideoRooms video, Clock clock) {
    this.db = db;
    this.memberships = memberships;
    this.video = video;
    this.clock = clock;
  }

  /** An invited guest, with an external guest's join code (null for a staff guest), shown only here. */
  public record Invited(JsonObject guest, String code) {
  }

  /** Invites the guest a validated {@code TelehealthGuestInvite} describes. */
  public Future<Invited> invite(TenantContext ctx, UUID sessionId, JsonObject body) {
    String kind = body.getString("kind");
    UUID userId = body.getString("userId") == null ? null : UUID.fromString(body.getString("userId"));
    if (Guest.STAFF.equals(kind) != (userId != null)) {
      return Future.failedFuture(new Unprocessable("a staff guest is named by userId, any other guest by"
          + " displayName"));
    }
    if (userId == null && (body.getString("displayName") == null || body.getString("displayName").isBlank())) {
      return Future.failedFuture(new Unprocessable("an external guest needs a displayName"));
    }
    return Access.check(ctx, Permission.ENCOUNTER_WRITE)
        .compose(v -> userId == null ? Future.succeededFuture() : clinicalMember(ctx, userId))
        .compose(v -> db.inTenant(ctx, conn -> sessions.lock(conn, ctx, sessionId).map(TelehealthService::found)
            .compose(s -> {
              ctx.audit().patient(s.patientId());
              host(ctx, s);
              if (s.status().isFinal()) {
                return Future.failedFuture(new Conflict("the visit is over"));
              }
              if (userId != null && s.isClinicianSide(userId)) {
                return Future.failedFuture(new Conflict("that user already takes part in the visit"));
              }
              return seatFree(conn, s).compose(x -> add(conn, ctx, s, kind, userId, body.getString("displayName")));
            })))
        .recover(failure -> ConstraintViolation.of(failure, "telehealth_guest_staff_once")
            ? Future.failedFuture(new Conflict("that staff member is already a guest of the visit"))
            : Future.failedFuture(failure));
  }

  /** The session's guests, for its patient and for whoever may host guests. */
  public Future<List<JsonObject>> list(TenantContext ctx, UUID sessionId) {
    return Access.check(ctx, Permission.APPOINTMENT_READ)
        .compose(v -> db.once(ctx, conn -> sessions.find(conn, ctx, sessionId)))
        .map(TelehealthService::found)
        .compose(s -> {
          ctx.audit().patient(s.patientId());
          if (!ctx.actsAsPatient()) {
            host(ctx, s);
          }
          return db.once(ctx, conn -> guests.ofSession(conn, sessionId));
        })
        .map(found -> found.stream().map(g -> g.toJson(clock.instant())).toList());
  }

  /**
   * Revokes a guest: their code or key stops working at once, and if the visit is in progress they are
   * disconnected from its room (a provider that fails here is logged: the guest cannot get a new token anyway).
   */
  public Future<Void> revoke(TenantContext ctx, UUID sessionId, UUID guestId) {
    return Access.check(ctx, Permission.ENCOUNTER_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> sessions.lock(conn, ctx, sessionId).map(TelehealthService::found)
            .compose(s -> {
              ctx.audit().patient(s.patientId()).about(guestId);
              host(ctx, s);
              return guests.find(conn, sessionId, guestId).compose(found -> {
                Guest guest = found.orElseThrow(() -> new NotFound("no such guest"));
                return guests.revoke(conn, sessionId, guestId, ctx.userId())
                    .compose(fresh -> !fresh ? Future.succeededFuture(Optional.<Revoked>empty())
                        : announce(conn, ctx, s).map(Optional.of(new Revoked(s, guest))));
              });
            })))
        .compose(revoked -> revoked.isEmpty() ? Future.succeededFuture() : disconnect(ctx, revoked.get()));
  }

  private record Revoked(TelehealthSession session, Guest guest) {
  }

  private Future<Void> disconnect(TenantContext ctx, Revoked r) {
    if (r.session().status() != SessionStatus.IN_PROGRESS || r.session().roomSid() == null) {
      return Future.succeededFuture();
    }
    return video.disconnect(ctx, r.session().room(), r.guest().identity()).recover(failure -> {
      LOG.warn("a revoked guest could not be disconnected: {}", failure.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }

  /** Only whoever may admit the patient hosts guests; a receptionist never does (no practitioner profile). */
  private static void host(TenantContext ctx, TelehealthSession s) {
    if (!s.mayHostGuests(ctx.userId())) {
      throw new Forbidden("only the clinician of the visit, or a colleague the clinic lets admit, hosts guests");
    }
  }

  /** A staff guest must be an active member of the tenant whose roles read clinical data (never the front desk). */
  private Future<Void> clinicalMember(TenantContext ctx, UUID userId) {
    return memberships.inTenant(userId, ctx.tenantId()).compose(found -> {
      Optional<Membership> m = found.filter(Membership::active);
      if (m.isEmpty() || m.get().patientId().isPresent()) {
        return Future.failedFuture(new Unprocessable("userId is not an active staff member of this clinic"));
      }
      if (!Role.permissionKeys(m.get().roles()).contains(Permission.PATIENT_CLINICAL_READ.key())) {
        return Future.failedFuture(new Unprocessable("a staff guest must be clinical staff (whose roles read"
            + " clinical data)"));
      }
      return Future.succeededFuture();
    });
  }

  /** Refuses a guest past the room's size, or the tenant's maxParticipants before the room opens. */
  private Future<Void> seatFree(SqlConnection conn, TelehealthSession s) {
    Future<Integer> limit = s.roomSid() != null ? Future.succeededFuture(s.maxParticipants())
        : sessions.settings(conn).map(TelehealthSettings::maxParticipants);
    return limit.compose(max -> s.occupants(s.admittedBy()) + 1 <= max ? Future.succeededFuture()
        : Future.failedFuture(new Conflict("the visit's video room holds at most " + max + " participants"
            + " (maxParticipants: the patient, the clinician, an admitting colleague and the guests); "
            + (s.roomSid() != null ? "revoke a guest to free a seat"
            : "revoke a guest, or the clinic's admin raises maxParticipants in the telehealth settings"))));
  }

  private Future<Invited> add(SqlConnection conn, TenantContext ctx, TelehealthSession s, String kind, UUID userId,
                              String displayName) {
    UUID id = UuidV7.next();
    ctx.audit().about(id);
    String code = userId == null ? TenantSecrets.next(ctx.tenantId()) : null;
    Instant expires = code == null ? null : s.slotEnd().plus(CODE_GRACE);
    Future<String> name = userId == null ? Future.succeededFuture(displayName.strip())
        : displayName != null && !displayName.isBlank() ? Future.succeededFuture(displayName.strip())
        : guests.staffName(conn, userId).map(found -> found.orElse("Staff member"));
    return name.compose(n -> guests.insert(conn, id, s, kind, userId, n,
            code == null ? null : SecretTokens.hash(code), expires, ctx.userId()))
        .compose(v -> announce(conn, ctx, s))
        .compose(v -> guests.find(conn, s.id(), id))
        .map(found -> new Invited(found.orElseThrow().toJson(clock.instant()), code));
  }

  private static Future<Void> announce(SqlConnection conn, TenantContext ctx, TelehealthSession s) {
    return LiveChanges.publish(conn, new LiveChange(ctx.tenantId().value(), LiveChange.SESSION, s.id(),
        s.practitionerId()));
  }
}
