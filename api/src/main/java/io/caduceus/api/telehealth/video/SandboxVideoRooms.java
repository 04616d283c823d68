package io.caduceus.api.telehealth.video;

import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Video for a tenant with no provider account: rooms are only recorded (in the tenant's region, like real ones),
 * and tokens are JWT-shaped but plainly fake: {@code "alg":"none"}, no signature, {@code "sandbox": true}, a
 * {@code sandbox-} room sid. No video service accepts them; a participant disconnected is only recorded; the demo and the tests run on them offline.
 */
public final class SandboxVideoRooms implements VideoRooms {

  /** The provider name of the sandbox's rooms and tokens. */
  public static final String PROVIDER = "sandbox";
  private static final String HEADER = new JsonObject().put("alg", "none").put("typ", "JWT").put("cty", "sandbox")
      .encode();

  private final TenantDb db;
  private final VideoRoomRepository rooms;

  public SandboxVideoRooms(TenantDb db) {
    this(db, new VideoRoomRepository());
  }

  SandboxVideoRooms(TenantDb db, VideoRoomRepository rooms) {
    this.db = db;
    this.rooms = rooms;
  }

  @Override
  public Future<VideoRoom> open(TenantContext ctx, String uniqueName, int maxParticipants) {
    VideoRoom fresh = new VideoRoom(PROVIDER, "sandbox-" + UUID.randomUUID(), uniqueName);
    return db.once(ctx, conn -> rooms.open(conn, fresh, maxParticipants));
  }

  @Override
  public Future<Void> complete(TenantContext ctx, VideoRoom room) {
    return db.once(ctx, conn -> rooms.complete(conn, room.sid()));
  }

  @Override
  public Future<VideoToken> token(TenantContext ctx, VideoRoom room, String identity, Instant expiresAt) {
    JsonObject claims = new JsonObject()
        .put("jti", "sandbox-" + UUID.randomUUID())
        .put("iss", "caduceus-sandbox")
        .put("sub", "sandbox")
        .put("sandbox", true)
        .put("iat", Instant.now().getEpochSecond())
        .put("exp", expiresAt.getEpochSecond())
        .put("grants", new JsonObject().put("identity", identity)
            .put("video", new JsonObject().put("room", room.uniqueName())));
    String token = base64(HEADER) + "." + base64(claims.encode()) + ".";
    return Future.succeededFuture(new VideoToken(PROVIDER, token, identity, room.uniqueName(), expiresAt));
  }

  @Override
  public Future<Void> disconnect(TenantContext ctx, VideoRoom room, String identity) {
    return db.once(ctx, conn -> rooms.disconnected(conn, room, identity));
  }

  private static String base64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
