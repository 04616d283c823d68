package io.caduceus.api.telehealth.video;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.Optional;

/**
 * The {@link VideoRooms} the sessions use: a tenant that set its own Twilio Video account opens its rooms there,
 * any other tenant in the sandbox. A room is completed and tokened by the provider that holds it, so a sandbox room
 * opened before the tenant set its account still works. Every room is recorded in the tenant's region.
 */
public final class TenantVideoRooms implements VideoRooms {

  private final TenantDb db;
  private final VideoCredentialRepository credentials;
  private final VideoRoomRepository rooms;
  private final SandboxVideoRooms sandbox;
  private final TwilioVideo twilio;

  /** Rooms through {@code twilio} for tenants with an account (sealed with {@code keyring}), else the sandbox. */
  public TenantVideoRooms(TenantDb db, TenantKeyring keyring, TwilioVideo twilio) {
    this.db = db;
    this.credentials = new VideoCredentialRepository(keyring);
    this.rooms = new VideoRoomRepository();
    this.sandbox = new SandboxVideoRooms(db, rooms);
    this.twilio = twilio;
  }

  @Override
  public Future<VideoRoom> open(TenantContext ctx, String uniqueName, int maxParticipants) {
    // Twilio is asked every time: it may have ended an idle room on its own (after 5 minutes empty by default).
    return account(ctx).compose(account -> account.isEmpty() ? sandbox.open(ctx, uniqueName, maxParticipants)
        : twilio.open(account.get(), ctx.tenantId(), uniqueName, maxParticipants)
            .compose(room -> db.inTenant(ctx, conn -> rooms.held(conn, room, maxParticipants))));
  }

  @Override
  public Future<Void> complete(TenantContext ctx, VideoRoom room) {
    if (SandboxVideoRooms.PROVIDER.equals(room.provider())) {
      return sandbox.complete(ctx, room);
    }
    // Without the account (the tenant removed it) Twilio cannot be told; it ends the room once it is empty, and
    // ending the visit is not held up for it.
    return account(ctx).compose(account -> account.isEmpty() ? Future.<Void>succeededFuture()
            : twilio.complete(account.get(), room))
        .compose(v -> db.once(ctx, conn -> rooms.complete(conn, room.sid())));
  }

  @Override
  public Future<VideoToken> token(TenantContext ctx, VideoRoom room, String identity, Instant expiresAt) {
    if (SandboxVideoRooms.PROVIDER.equals(room.provider())) {
      return sandbox.token(ctx, room, identity, expiresAt);
    }
    return required(ctx).map(account -> twilio.token(account, room, identity, expiresAt));
  }

  @Override
  public Future<Void> disconnect(TenantContext ctx, VideoRoom room, String identity) {
    if (SandboxVideoRooms.PROVIDER.equals(room.provider())) {
      return sandbox.disconnect(ctx, room, identity);
    }
    return required(ctx).compose(account -> twilio.disconnect(account, room, identity))
        .compose(v -> db.once(ctx, conn -> rooms.disconnected(conn, room, identity)));
  }

  private Future<Optional<TwilioVideoAccount>> account(TenantContext ctx) {
    return db.once(ctx, conn -> credentials.find(conn, ctx));
  }

  private Future<TwilioVideoAccount> required(TenantContext ctx) {
    return account(ctx).compose(account -> account.isPresent() ? Future.succeededFuture(account.get())
        : Future.failedFuture(VideoFailures.unusableAccount()));
  }
}
