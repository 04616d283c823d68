package io.caduceus.api.telehealth.video;

import io.caduceus.api.access.Role;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.VideoNode;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A tenant with no video account gets sandbox rooms, recorded in its region, and plainly fake tokens. */
class SandboxVideoRoomsTest {

  private final TestPlatform platform = TestPlatform.get();

  @Test
  void aTenantWithoutAnAccountOpensRecordedSandboxRoomsOncePerNameAndCompletesThem() {
    Clinic clinic = Clinic.in("us");
    TenantContext ctx = platform.systemContext(clinic.tenant, Set.of(Role.TENANT_ADMIN.wire()));
    String name = "visit-" + UUID.randomUUID();

    VideoRoom room = await(VideoNode.rooms().open(ctx, name, 2));
    assertThat(room.provider()).isEqualTo("sandbox");
    assertThat(room.sid()).startsWith("sandbox-");
    assertThat(room.uniqueName()).isEqualTo(name);
    assertThat(await(VideoNode.rooms().open(ctx, name, 2))).isEqualTo(room);

    List<Map<String, Object>> rows = Sql.query(platform.superuser("us"), "SELECT tenant_id, provider,"
        + " max_participants, completed_at FROM telehealth_video_room WHERE room_name = ?", name);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("tenant_id")).isEqualTo(clinic.tenant.id().value());
    assertThat(rows.get(0).get("max_participants")).isEqualTo(2);
    assertThat(rows.get(0).get("completed_at")).isNull();

    await(VideoNode.rooms().complete(ctx, room));
    await(VideoNode.rooms().complete(ctx, room));
    assertThat(Sql.query(platform.superuser("us"), "SELECT completed_at FROM telehealth_video_room"
        + " WHERE room_sid = ?", room.sid()).get(0).get("completed_at")).isNotNull();
    VideoRoom next = await(VideoNode.rooms().open(ctx, name, 3));
    assertThat(next.sid()).isNotEqualTo(room.sid());

    Clinic other = Clinic.in("us");
    TenantContext stranger = platform.systemContext(other.tenant, Set.of(Role.TENANT_ADMIN.wire()));
    assertThat(await(VideoNode.rooms().open(stranger, name, 2)).sid()).isNotEqualTo(next.sid());
  }

  @Test
  void sandboxTokensAreUnsignedAndMarkedSandboxForTheRoomAndIdentity() {
    Clinic clinic = Clinic.in("us");
    TenantContext ctx = platform.systemContext(clinic.tenant, Set.of(Role.TENANT_ADMIN.wire()));
    VideoRoom room = await(VideoNode.rooms().open(ctx, "visit-" + UUID.randomUUID(), 2));
    Instant until = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

    VideoToken token = await(VideoNode.rooms().token(ctx, room, "user-42", until));
    assertThat(token.provider()).isEqualTo("sandbox");
    assertThat(token.toString()).doesNotContain(token.token());
    String[] parts = token.token().split("\\.", -1);
    assertThat(parts).hasSize(3);
    assertThat(parts[2]).isEmpty();
    JsonObject header = decode(parts[0]);
    JsonObject claims = decode(parts[1]);
    assertThat(header.getString("alg")).isEqualTo("none");
    assertThat(claims.getBoolean("sandbox")).isTrue();
    assertThat(claims.getLong("exp")).isEqualTo(until.getEpochSecond());
    assertThat(claims.getJsonObject("grants").getString("identity")).isEqualTo("user-42");
    assertThat(claims.getJsonObject("grants").getJsonObject("video").getString("room")).isEqualTo(room.uniqueName());
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
