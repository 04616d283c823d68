package io.caduceus.api.telehealth.video;

import io.caduceus.api.access.Role;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.VideoNode;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** A tenant that set its own Twilio Video account opens its rooms at Twilio; one without, in the sandbox. */
class TenantVideoRoomsTest {

  private static Vertx vertx;
  private static FakeTwilioVideo fake;
  private static TwilioVideo twilio;
  private final TestPlatform platform = TestPlatform.get();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    fake = await(FakeTwilioVideo.start(vertx, TwilioVideoTest.ACCOUNT_SID, TwilioVideoTest.API_KEY_SID,
        TwilioVideoTest.API_KEY_SECRET));
    twilio = new TwilioVideo(vertx.createSharedWorkerExecutor("tenant-video-test", 4), fake.baseUrl(),
        Duration.ofSeconds(5), TwilioVideoTest.CALLBACKS);
  }

  @AfterAll
  static void stop() {
    await(twilio.close());
    await(fake.close());
    await(vertx.close());
  }

  @Test
  void roomsFollowTheTenantsAccountAndEachRoomStaysWithTheProviderThatHoldsIt() {
    Clinic clinic = Clinic.in("us");
    TenantContext ctx = platform.systemContext(clinic.tenant, Set.of(Role.TENANT_ADMIN.wire()));
    TenantVideoRooms rooms = new TenantVideoRooms(VideoNode.db(), VideoNode.keyring(), twilio);
    String admin = clinic.token(clinic.admin);
    expect(platform.api().put("/v1/telehealth/video-credentials", admin, new JsonObject()
        .put("accountSid", TwilioVideoTest.ACCOUNT_SID).put("apiKeySid", TwilioVideoTest.API_KEY_SID)
        .put("apiKeySecret", TwilioVideoTest.API_KEY_SECRET).put("authToken", "auth")), 200);

    String name = "visit-" + UUID.randomUUID();
    VideoRoom room = await(rooms.open(ctx, name, 4));
    assertThat(room.provider()).isEqualTo("twilio");
    assertThat(fake.room(room.sid()).maxParticipants()).isEqualTo(4);
    assertThat(fake.room(room.sid()).statusCallback()).endsWith("/" + clinic.tenant.id().value() + "/video");
    assertThat(await(rooms.open(ctx, name, 4))).isEqualTo(room);
    Map<String, Object> row = Sql.query(platform.superuser("us"), "SELECT provider, tenant_id FROM"
        + " telehealth_video_room WHERE room_sid = ?", room.sid()).get(0);
    assertThat(row.get("provider")).isEqualTo("twilio");
    assertThat(row.get("tenant_id")).isEqualTo(clinic.tenant.id().value());
    VideoToken token = await(rooms.token(ctx, room, "clinician-1", Instant.now().plus(5, ChronoUnit.MINUTES)));
    assertThat(token.provider()).isEqualTo("twilio");
    assertThat(token.token().split("\\.")).hasSize(3);

    // Twilio ends an idle room by itself; the next open gets a new room and closes the stale record.
    fake.endQuietly(room.sid());
    VideoRoom reopened = await(rooms.open(ctx, name, 4));
    assertThat(reopened.sid()).isNotEqualTo(room.sid());
    assertThat(Sql.query(platform.superuser("us"), "SELECT room_sid FROM telehealth_video_room WHERE room_name = ?"
        + " AND completed_at IS NULL", name)).extracting(r -> r.get("room_sid")).containsExactly(reopened.sid());
    room = reopened;

    expect(platform.api().delete("/v1/telehealth/video-credentials", admin), 204);
    VideoRoom sandboxed = await(rooms.open(ctx, "visit-" + UUID.randomUUID(), 2));
    assertThat(sandboxed.provider()).isEqualTo("sandbox");
    // Without the account no token can be signed for the Twilio room, but ending it is not held up.
    assertThat(failure(rooms.token(ctx, room, "clinician-1", Instant.now().plusSeconds(60))))
        .isInstanceOf(Conflict.class);
    await(rooms.complete(ctx, room));
    assertThat(fake.room(room.sid()).status()).isEqualTo("in-progress");
    assertThat(Sql.query(platform.superuser("us"), "SELECT completed_at FROM telehealth_video_room"
        + " WHERE room_sid = ?", room.sid()).get(0).get("completed_at")).isNotNull();

    expect(platform.api().put("/v1/telehealth/video-credentials", admin, new JsonObject()
        .put("accountSid", TwilioVideoTest.ACCOUNT_SID).put("apiKeySid", TwilioVideoTest.API_KEY_SID)
        .put("apiKeySecret", TwilioVideoTest.API_KEY_SECRET).put("authToken", "auth")), 200);
    VideoRoom last = await(rooms.open(ctx, "visit-" + UUID.randomUUID(), 2));
    await(rooms.complete(ctx, last));
    assertThat(fake.room(last.sid()).status()).isEqualTo("completed");
    assertThat(Sql.query(platform.superuser("us"), "SELECT completed_at FROM telehealth_video_room"
        + " WHERE room_sid = ?", last.sid()).get(0).get("completed_at")).isNotNull();
    await(rooms.complete(ctx, sandboxed));
    assertThat(await(rooms.token(ctx, sandboxed, "clinician-1", Instant.now().plusSeconds(60))).provider())
        .isEqualTo("sandbox");
  }

  @Test
  void aGuestsTokenNamesTheGuestAndARevokedGuestIsDisconnectedAtTwilioByIdentity() {
    Clinic clinic = Clinic.in("us");
    TenantContext ctx = platform.systemContext(clinic.tenant, Set.of(Role.TENANT_ADMIN.wire()));
    TenantVideoRooms rooms = new TenantVideoRooms(VideoNode.db(), VideoNode.keyring(), twilio);
    expect(platform.api().put("/v1/telehealth/video-credentials", clinic.token(clinic.admin), new JsonObject()
        .put("accountSid", TwilioVideoTest.ACCOUNT_SID).put("apiKeySid", TwilioVideoTest.API_KEY_SID)
        .put("apiKeySecret", TwilioVideoTest.API_KEY_SECRET).put("authToken", "auth")), 200);
    VideoRoom room = await(rooms.open(ctx, "visit-" + UUID.randomUUID(), 3));
    String guest = "guest:" + UUID.randomUUID();

    Instant until = Instant.now().plus(10, ChronoUnit.MINUTES);
    VideoToken token = await(rooms.token(ctx, room, guest, until));
    JsonObject claims = new JsonObject(new String(java.util.Base64.getUrlDecoder()
        .decode(token.token().split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(claims.getString("iss")).isEqualTo(TwilioVideoTest.API_KEY_SID);
    assertThat(claims.getJsonObject("grants").getString("identity")).isEqualTo(guest);
    assertThat(claims.getJsonObject("grants").getJsonObject("video").getString("room")).isEqualTo(room.uniqueName());
    assertThat(claims.getLong("exp")).isBetween(until.getEpochSecond() - 5, until.getEpochSecond() + 1);

    fake.join(room.sid(), guest);
    await(rooms.disconnect(ctx, room, guest));
    assertThat(fake.inRoom(room.sid(), guest)).isFalse();
    assertThat(fake.calls()).anyMatch(call -> call.startsWith("POST /v1/Rooms/" + room.sid() + "/Participants/guest"));
    // Not (or no longer) in the room: nothing to do, and no error.
    await(rooms.disconnect(ctx, room, guest));
    assertThat(Sql.query(platform.superuser("us"), "SELECT provider, identity FROM telehealth_video_disconnect"
        + " WHERE tenant_id = ? AND room_sid = ?", clinic.tenant.id().value(), room.sid()))
        .extracting(r -> r.get("provider") + " " + r.get("identity")).containsExactly("twilio " + guest,
            "twilio " + guest);
  }

  @Test
  void theNodesRoomsGoToTheConfiguredTwilioBaseUrl() {
    // The test node's Twilio base URL is the platform's fake Twilio (SMS only): with that account's credentials as
    // the API key it authenticates the call and answers 404/20404 for /v1/Rooms, which the real Twilio never would.
    Clinic clinic = Clinic.in("us");
    TenantContext ctx = platform.systemContext(clinic.tenant, Set.of(Role.TENANT_ADMIN.wire()));
    await(VideoNode.db().inTenant(ctx, conn -> new VideoCredentialRepository(VideoNode.keyring()).put(conn, ctx,
        new TwilioVideoAccount(TestPlatform.Providers.TWILIO_SID, TestPlatform.Providers.TWILIO_SID,
            TestPlatform.Providers.TWILIO_TOKEN, TestPlatform.Providers.TWILIO_TOKEN))));
    Throwable refused = failure(VideoNode.rooms().open(ctx, "visit-" + UUID.randomUUID(), 2));
    assertThat(refused).isInstanceOf(Conflict.class);
    assertThat(refused.getMessage()).contains("20404");
  }
}
