package io.caduceus.api.telehealth;

import io.caduceus.api.audit.OperationAudit;
import io.caduceus.api.auth.LoginThrottle;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.telehealth.video.VideoRooms;
import io.caduceus.api.telehealth.video.VideoToken;
import io.caduceus.routing.RegionRegistry;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.SecretTokens;
import io.caduceus.routing.keys.TenantSecrets;
import io.vertx.core.Future;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The public exchange of an external guest: their single-use join code, while the visit is in progress, for a
 * short-lived video token (identity {@code guest:<id>}, the session's room only) and a guest key; the key, until
 * the visit ends, for a fresh token after a dropped connection. Both name their tenant ({@link TenantSecrets}), so
 * the region router sends them to its region. An unknown, spent or revoked code or key answers 404 and is counted
 * against the caller's address ({@link LoginThrottle#codeFailed}); too many, and the address waits (429).
 */
public final class GuestPassService {

  /** The longest a guest's video token lives: a guest reconnects with the key, so it need not outlive a drop. */
  static final Duration TOKEN_LIFETIME = Duration.ofMinutes(10);
  /** The actor of a guest's exchange in the tenant's audit trail: no user, the guest is named as the object. */
  private static final UUID GUEST = new UUID(0, 13);

  private final TenantDb db;
  private final RegionRegistry regions;
  private final TenantCatalog catalog;
  private final VideoRooms video;
  private final LoginThrottle throttle;
  private final Clock clock;
  private final GuestRepository guests = new GuestRepository();

  public GuestPassService(TenantDb db, RegionRegistry regions, TenantCatalog catalog, VideoRooms video,
                          LoginThrottle throttle, Clock clock) {
    this.db = db;
    this.regions = regions;
    this.catalog = catalog;
    this.video = video;
    this.throttle = throttle;
    this.clock = clock;
  }

  /** What an exchange answers: the guest, a video token, and (for a code) the key shown only then. */
  public record Pass(Guest guest, VideoToken token, String key, Instant keyExpiresAt) {
  }

  /** Exchanges a join code ({@code code}) or a guest key ({@code key}: exactly one is given). */
  public Future<Pass> exchange(String code, String key, String address, String requestId, OperationAudit record) {
    String secret = code != null ? code : key;
    return throttle.admitCode(address)
        .compose(v -> tenantOf(secret, requestId, record))
        .compose(ctx -> db.once(ctx, conn -> code != null ? guests.byCode(conn, SecretTokens.hash(code))
                : guests.byKey(conn, SecretTokens.hash(key)))
            .compose(found -> found.filter(h -> h.guest().revokedAt() == null
                    && (key != null || h.guest().redeemedAt() == null))
                .map(h -> pass(ctx, h, code))
                .orElseGet(this::unknown)))
        .recover(failure -> failure instanceof NotFound
            ? throttle.codeFailed(address).transform(x -> Future.failedFuture(failure))
            : Future.failedFuture(failure));
  }

  private Future<TenantContext> tenantOf(String secret, String requestId, OperationAudit record) {
    Optional<TenantId> tenant = TenantSecrets.tenantOf(secret);
    if (tenant.isEmpty()) {
      return unknown();
    }
    return catalog.find(tenant.get()).compose(found -> {
      if (found.isEmpty() || !found.get().isActive()) {
        return unknown();
      }
      if (!regions.serves(found.get().dataRegion())) {
        // Sent past the region router to a node of another region: the code is its clinic's region's to read.
        return Future.failedFuture(new Forbidden("the clinic's data region is not served by this node"));
      }
      return Future.succeededFuture(record.actingFor(TenantContext.system(tenant.get(), found.get().dataRegion(),
          found.get().tier(), GUEST, Set.of(), requestId)));
    });
  }

  private Future<Pass> pass(TenantContext ctx, GuestRepository.Holder h, String code) {
    Guest guest = h.guest();
    ctx.audit().about(guest.id()).patient(guest.patientId());
    Instant now = clock.instant();
    Instant keyExpiresAt = h.slotEnd().plus(GuestService.CODE_GRACE);
    if (guest.sessionStatus().isFinal() || !now.isBefore(keyExpiresAt)) {
      return Future.failedFuture(new Conflict("the visit is over"));
    }
    if (code != null && !now.isBefore(guest.codeExpiresAt())) {
      return Future.failedFuture(new Conflict("this code has expired"));
    }
    if (guest.sessionStatus() != SessionStatus.IN_PROGRESS) {
      return Future.failedFuture(new Conflict("the video room opens when the clinician admits the patient;"
          + " try again then"));
    }
    Instant expires = TelehealthService.expiry(h.slotEnd(), clock);
    Instant shortest = now.plus(TOKEN_LIFETIME);
    Future<VideoToken> token = video.token(ctx, h.room(), guest.identity(),
        expires.isBefore(shortest) ? expires : shortest);
    if (code == null) {
      return token.map(t -> new Pass(guest, t, null, keyExpiresAt));
    }
    // The token is minted before the code is spent, so a provider failure leaves the code usable.
    String key = TenantSecrets.next(ctx.tenantId());
    return token.compose(t -> db.inTenant(ctx, conn -> guests.redeem(conn, guest.id(), SecretTokens.hash(code),
            SecretTokens.hash(key)))
        .compose(spent -> spent ? Future.succeededFuture(new Pass(guest, t, key, keyExpiresAt)) : unknown()));
  }

  private <T> Future<T> unknown() {
    return Future.failedFuture(new NotFound("no such guest code or key"));
  }
}
