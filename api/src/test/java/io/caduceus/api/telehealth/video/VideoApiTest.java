package io.caduceus.api.telehealth.video;

import io.caduceus.api.access.Role;
import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.VideoNode;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Conformance;
import io.caduceus.api.testing.Sql;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.TenantContext;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tenant's Twilio Video account (sealed, shown as sids only, the tenant's alone), Twilio's signed room
 * callbacks (recorded once, refused unsigned or for another tenant), and a session's participants, seen only by
 * those who may see the session.
 */
class VideoApiTest {

  private static final String ACCOUNT_SID = TwilioVideoTest.ACCOUNT_SID;
  private static final String API_KEY_SID = TwilioVideoTest.API_KEY_SID;
  private static final String API_KEY_SECRET = TwilioVideoTest.API_KEY_SECRET;
  private static final String AUTH_TOKEN = "video-account-auth-token-" + UUID.randomUUID();

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  private static JsonObject account(String authToken) {
    return new JsonObject().put("accountSid", ACCOUNT_SID).put("apiKeySid", API_KEY_SID)
        .put("apiKeySecret", API_KEY_SECRET).put("authToken", authToken);
  }

  @Test
  void theVideoAccountIsSealedShownAsSidsOnlyAndTheTenantsAlone() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    expect(api.get("/v1/telehealth/video-credentials", admin), 404);
    expect(api.put("/v1/telehealth/video-credentials", clinic.token(clinic.doctor), account(AUTH_TOKEN)), 403);
    expect(api.put("/v1/telehealth/video-credentials", admin, account(AUTH_TOKEN).put("apiKeySid", "SK1")), 400);

    JsonObject stored = expect(conform("PUT", "/v1/telehealth/video-credentials",
        api.put("/v1/telehealth/video-credentials", admin, account(AUTH_TOKEN))), 200).json();
    assertThat(stored.getString("provider")).isEqualTo("twilio");
    assertThat(stored.getString("accountSid")).isEqualTo(ACCOUNT_SID);
    assertThat(stored.getString("apiKeySid")).isEqualTo(API_KEY_SID);
    String shown = expect(conform("GET", "/v1/telehealth/video-credentials",
        api.get("/v1/telehealth/video-credentials", admin)), 200).body();
    assertThat(stored.encode() + shown).doesNotContain(API_KEY_SECRET).doesNotContain(AUTH_TOKEN);

    Map<String, Object> row = Sql.query(platform.superuser("us"), "SELECT sealed, summary::text AS summary"
        + " FROM telehealth_video_credential WHERE tenant_id = ?", clinic.tenant.id().value()).get(0);
    byte[] sealed = (byte[]) row.get("sealed");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(API_KEY_SECRET)
        .doesNotContain(AUTH_TOKEN);
    assertThat((String) row.get("summary")).doesNotContain(API_KEY_SECRET).doesNotContain(AUTH_TOKEN);
    assertThat(platform.openSealed(clinic.tenant.id(), "telehealth_video_credential/twilio", sealed))
        .contains(API_KEY_SECRET).contains(AUTH_TOKEN);

    Clinic other = Clinic.in("us");
    expect(api.get("/v1/telehealth/video-credentials", other.token(other.admin)), 404);
    expect(api.delete("/v1/telehealth/video-credentials", other.token(other.admin)), 404);
    expect(api.delete("/v1/telehealth/video-credentials", admin), 204);
    expect(conform("DELETE", "/v1/telehealth/video-credentials",
        api.delete("/v1/telehealth/video-credentials", admin)), 404);
    expect(conform("GET", "/v1/telehealth/video-credentials", api.get("/v1/telehealth/video-credentials", admin)),
        404);
  }

  @Test
  void aSignedRoomCallbackIsRecordedOnceAndAForgedOrMisdirectedOneRecordsNothing() {
    Clinic clinic = Clinic.in("us");
    expect(api.put("/v1/telehealth/video-credentials", clinic.token(clinic.admin), account(AUTH_TOKEN)), 200);
    String patientId = clinic.patient("Garcia", "Maria").getString("id");
    UUID session = VideoSessions.scheduled(clinic, patientId);
    String roomSid = "RM" + UUID.randomUUID().toString().replace("-", "");
    String path = "/v1/webhooks/twilio/" + clinic.tenant.id() + "/video";

    Map<String, String> joined = event(roomSid, session, "participant-connected", 3, "patient-" + patientId);
    expect(form(path, joined, FakeTwilio.signature("not-the-token", url(path), joined)), 403);
    expect(form(path, joined, FakeTwilio.signature(AUTH_TOKEN, url(path) + "?x=1", joined)), 403);
    assertThat(participants(clinic, session)).isEmpty();

    expect(form(path, joined, FakeTwilio.signature(AUTH_TOKEN, url(path), joined)), 204);
    expect(form(path, joined, FakeTwilio.signature(AUTH_TOKEN, url(path), joined)), 204);
    Map<String, String> left = event(roomSid, session, "participant-disconnected", 7, "patient-" + patientId);
    expect(form(path, left, FakeTwilio.signature(AUTH_TOKEN, url(path), left)), 204);
    Map<String, String> track = event(roomSid, session, "track-added", 4, "patient-" + patientId);
    expect(form(path, track, FakeTwilio.signature(AUTH_TOKEN, url(path), track)), 204);

    JsonArray events = participants(clinic, session);
    assertThat(events).hasSize(2);
    assertThat(events.getJsonObject(0).getString("event")).isEqualTo("participant-connected");
    assertThat(events.getJsonObject(0).getString("identity")).isEqualTo("patient-" + patientId);
    assertThat(events.getJsonObject(0).getString("participantSid")).isEqualTo("PA" + roomSid.substring(2));
    assertThat(events.getJsonObject(0).getString("occurredAt")).isEqualTo("2030-05-01T10:00:03Z");
    assertThat(events.getJsonObject(1).getString("event")).isEqualTo("participant-disconnected");

    // Signed by this tenant's account but sent to another tenant's URL: that tenant has no such account.
    Clinic other = Clinic.in("us");
    String otherPath = "/v1/webhooks/twilio/" + other.tenant.id() + "/video";
    Map<String, String> misdirected = event(roomSid, session, "room-ended", 9, null);
    expect(form(otherPath, misdirected, FakeTwilio.signature(AUTH_TOKEN, url(otherPath), misdirected)), 403);
    assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM telehealth_video_event"
        + " WHERE room_sid = ?", roomSid).get(0).get("n")).isEqualTo(2L);
    expect(form(path, misdirected, FakeTwilio.signature(AUTH_TOKEN, url(path), misdirected)), 204);
    assertThat(participants(clinic, session)).hasSize(3);
  }

  @Test
  void participantsAreSeenByWhoeverMaySeeTheSessionAndNoOtherTenantOrPatient() {
    Clinic clinic = Clinic.in("us");
    expect(api.put("/v1/telehealth/video-credentials", clinic.token(clinic.admin), account(AUTH_TOKEN)), 200);
    String patientId = clinic.patient("Garcia", "Maria").getString("id");
    UUID session = VideoSessions.scheduled(clinic, patientId);
    String roomSid = "RM" + UUID.randomUUID().toString().replace("-", "");
    String path = "/v1/webhooks/twilio/" + clinic.tenant.id() + "/video";
    Map<String, String> joined = event(roomSid, session, "participant-connected", 1, "clinician-1");
    expect(form(path, joined, FakeTwilio.signature(AUTH_TOKEN, url(path), joined)), 204);
    String list = "/v1/telehealth/sessions/" + session + "/participants";

    assertThat(expect(api.get(list, clinic.token(clinic.doctor)), 200).items()).hasSize(1);
    String maria = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    assertThat(expect(api.get(list, maria), 200).items()).hasSize(1);
    String otherPatient = platform.token(platform.patientAccount(clinic.tenant,
        UUID.fromString(clinic.patient("Other", "Olga").getString("id"))));
    expect(conform("GET", list, api.get(list, otherPatient)), 404);
    Clinic other = Clinic.in("us");
    expect(api.get(list, other.token(other.doctor)), 404);
    expect(api.get("/v1/telehealth/sessions/" + UUID.randomUUID() + "/participants", clinic.token(clinic.doctor)),
        404);
    expect(api.get(list, platform.token(platform.user(clinic.tenant, "no_permissions"))), 403);
    List<Map<String, Object>> audit = Sql.query(platform.superuser("us"), "SELECT patient_ids::text AS patients"
        + " FROM audit_event WHERE tenant_id = ? AND action = 'telehealth_session.participants'"
        + " AND outcome = 'success'", clinic.tenant.id().value());
    assertThat(audit).isNotEmpty().allSatisfy(r -> assertThat((String) r.get("patients")).contains(patientId));
  }

  @Test
  void tenantsInTheirOwnSchemaOrDatabaseKeepTheirVideoAccountAndRoomsThere() {
    for (IsolationTier tier : List.of(IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic clinic = Clinic.in("us", tier);
      String admin = clinic.token(clinic.admin);
      expect(api.put("/v1/telehealth/video-credentials", admin, account(AUTH_TOKEN)), 200);
      assertThat(expect(api.get("/v1/telehealth/video-credentials", admin), 200).json().getString("apiKeySid"))
          .isEqualTo(API_KEY_SID);
      expect(api.get("/v1/telehealth/sessions/" + UUID.randomUUID() + "/participants", clinic.token(clinic.doctor)),
          404);
      expect(api.delete("/v1/telehealth/video-credentials", admin), 204);
      TenantContext ctx = platform.systemContext(clinic.tenant, Set.of(Role.TENANT_ADMIN.wire()));
      String name = "visit-" + UUID.randomUUID();
      VideoRoom room = await(VideoNode.rooms().open(ctx, name, 2));
      assertThat(room.provider()).isEqualTo("sandbox");
      assertThat(await(VideoNode.rooms().open(ctx, name, 2))).isEqualTo(room);
    }
  }

  private JsonArray participants(Clinic clinic, UUID session) {
    String path = "/v1/telehealth/sessions/" + session + "/participants";
    return expect(conform("GET", path, api.get(path, clinic.token(clinic.doctor))), 200).items();
  }

  private static Api.Response conform(String method, String path, Api.Response response) {
    return Conformance.get().check(method, path, response);
  }

  private static Map<String, String> event(String roomSid, UUID session, String kind, int sequence, String identity) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("AccountSid", ACCOUNT_SID);
    params.put("RoomName", "visit-" + session);
    params.put("RoomSid", roomSid);
    params.put("RoomStatus", "room-ended".equals(kind) ? "completed" : "in-progress");
    params.put("RoomType", "group");
    params.put("StatusCallbackEvent", kind);
    params.put("SequenceNumber", Integer.toString(sequence));
    params.put("Timestamp", "2030-05-01T10:00:0" + sequence + ".000Z");
    if (identity != null) {
      params.put("ParticipantSid", "PA" + roomSid.substring(2));
      params.put("ParticipantIdentity", identity);
      params.put("ParticipantStatus", "participant-connected".equals(kind) ? "connected" : "disconnected");
    }
    return params;
  }

  private String url(String path) {
    return "http://127.0.0.1:" + platform.app().port() + path;
  }

  private Api.Response form(String path, Map<String, String> fields, String signature) {
    String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return api.send("POST", path, null, body, Map.of("Content-Type", "application/x-www-form-urlencoded",
        "X-Twilio-Signature", signature));
  }
}
