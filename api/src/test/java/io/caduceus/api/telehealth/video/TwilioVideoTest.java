package io.caduceus.api.telehealth.video;

import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.Unavailable;
import io.caduceus.routing.TenantId;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import static io.caduceus.routing.testing.Await.await;
import static io.caduceus.routing.testing.Await.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** Twilio Video through the real Twilio SDK against a fake Twilio Video on 127.0.0.1: rooms, completion, tokens. */
class TwilioVideoTest {

  static final String ACCOUNT_SID = "AC" + "0123456789abcdef0123456789abcdef";
  static final String API_KEY_SID = "SK" + "fedcba9876543210fedcba9876543210";
  static final String API_KEY_SECRET = "video-api-key-secret-0123456789abcdef";
  static final String CALLBACKS = "https://caduceus.example/v1/webhooks/twilio";
  private static final TwilioVideoAccount ACCOUNT = new TwilioVideoAccount(ACCOUNT_SID, API_KEY_SID, API_KEY_SECRET,
      "video-auth-token");
  private static final TenantId TENANT = new TenantId(UUID.randomUUID());

  private static Vertx vertx;
  private static WorkerExecutor workers;
  private static FakeTwilioVideo fake;
  private static TwilioVideo twilio;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    workers = vertx.createSharedWorkerExecutor("video-test", 4);
    fake = await(FakeTwilioVideo.start(vertx, ACCOUNT_SID, API_KEY_SID, API_KEY_SECRET));
    twilio = new TwilioVideo(workers, fake.baseUrl(), Duration.ofSeconds(2), CALLBACKS);
  }

  @AfterAll
  static void stop() {
    await(twilio.close());
    await(fake.close());
    await(vertx.close());
  }

  @Test
  void aRoomIsCreatedOnceByUniqueNameWithItsLimitAndCallbackAndCompletedOnce() {
    String name = "visit-" + UUID.randomUUID();
    VideoRoom room = await(twilio.open(ACCOUNT, TENANT, name, 3));
    assertThat(room.provider()).isEqualTo("twilio");
    assertThat(room.uniqueName()).isEqualTo(name);
    FakeTwilioVideo.Room atTwilio = fake.room(room.sid());
    assertThat(atTwilio.uniqueName()).isEqualTo(name);
    assertThat(atTwilio.maxParticipants()).isEqualTo(3);
    assertThat(atTwilio.type()).isEqualTo("group");
    assertThat(atTwilio.statusCallback()).isEqualTo(CALLBACKS + "/" + TENANT.value() + "/video");
    assertThat(atTwilio.statusCallbackMethod()).isEqualTo("POST");
    assertThat(fake.calls()).contains("POST /v1/Rooms");

    // Twilio answers 400/53113 "Room exists" while it is in progress: the open room of that name is answered.
    assertThat(await(twilio.open(ACCOUNT, TENANT, name, 3))).isEqualTo(room);
    assertThat(fake.calls()).contains("GET /v1/Rooms/" + name);

    await(twilio.complete(ACCOUNT, room));
    assertThat(fake.room(room.sid()).status()).isEqualTo("completed");
    await(twilio.complete(ACCOUNT, room));
    await(twilio.complete(ACCOUNT, new VideoRoom("twilio", "RM" + "00000000000000000000000000000000", name)));
    VideoRoom next = await(twilio.open(ACCOUNT, TENANT, name, 3));
    assertThat(next.sid()).isNotEqualTo(room.sid());
  }

  @Test
  void theAccessTokenGrantsOneRoomToOneIdentityUntilItExpiresSignedWithTheApiKeySecret() throws Exception {
    VideoRoom room = new VideoRoom("twilio", "RM" + "11111111111111111111111111111111", "visit-" + UUID.randomUUID());
    Instant until = Instant.now().plus(15, ChronoUnit.MINUTES);
    VideoToken token = twilio.token(ACCOUNT, room, "practitioner-7", until);

    String[] parts = token.token().split("\\.");
    assertThat(parts).hasSize(3);
    JsonObject header = decode(parts[0]);
    JsonObject claims = decode(parts[1]);
    assertThat(header.getString("alg")).isEqualTo("HS256");
    assertThat(header.getString("cty")).isEqualTo("twilio-fpa;v=1");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(API_KEY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(Base64.getUrlDecoder().decode(parts[2])).isEqualTo(expected);
    assertThat(claims.getString("iss")).isEqualTo(API_KEY_SID);
    assertThat(claims.getString("sub")).isEqualTo(ACCOUNT_SID);
    assertThat(claims.getJsonObject("grants").getString("identity")).isEqualTo("practitioner-7");
    assertThat(claims.getJsonObject("grants").getJsonObject("video").getString("room")).isEqualTo(room.uniqueName());
    assertThat(claims.getLong("exp")).isBetween(until.getEpochSecond() - 5, until.getEpochSecond() + 1);
    assertThat(token.expiresAt().getEpochSecond()).isEqualTo(claims.getLong("exp"));
    assertThat(token.toString()).doesNotContain(token.token());
  }

  @Test
  void aProviderThatIsDownOrSilentIsA503AndARefusedKeyIsAConflict() {
    String name = "visit-" + UUID.randomUUID();
    fake.failNext(1, 503);
    assertThat(failure(twilio.open(ACCOUNT, TENANT, name, 2))).isInstanceOf(Unavailable.class);
    fake.failNext(1, 429);
    assertThat(failure(twilio.open(ACCOUNT, TENANT, name, 2))).isInstanceOf(Unavailable.class);
    fake.stallNext(1);
    assertThat(failure(twilio.open(ACCOUNT, TENANT, name, 2))).isInstanceOf(Unavailable.class);

    TwilioVideoAccount wrongKey = new TwilioVideoAccount(ACCOUNT_SID, API_KEY_SID, "another-secret-0123456789abcdefgh",
        "video-auth-token");
    Throwable refused = failure(twilio.open(wrongKey, TENANT, name, 2));
    assertThat(refused).isInstanceOf(Conflict.class);
    assertThat(refused.getMessage()).doesNotContain(API_KEY_SECRET).contains("video credentials");

    TwilioVideo unreachable = new TwilioVideo(workers, "http://127.0.0.1:1", Duration.ofSeconds(2), null);
    assertThat(failure(unreachable.open(ACCOUNT, TENANT, name, 2))).isInstanceOf(Unavailable.class);
    await(unreachable.close());
    assertThat(await(twilio.open(ACCOUNT, TENANT, name, 2)).uniqueName()).isEqualTo(name);
  }

  private static JsonObject decode(String part) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
  }
}
