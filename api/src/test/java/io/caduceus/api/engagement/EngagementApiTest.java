package io.caduceus.api.engagement;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The engagement API: devices and preferences, the tenant's rules and wording, messages, and Twilio's webhooks. */
class EngagementApiTest {

  private static final String SID = TestPlatform.Providers.TWILIO_SID;
  private static final String AUTH_TOKEN = TestPlatform.Providers.TWILIO_TOKEN;

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  private String patientWithContact(Clinic clinic, String phone) {
    return clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Garcia").put("given", "Maria"))
        .put("birthDate", "1970-01-01").put("sex", "female")
        .put("contact", new JsonObject().put("phone", phone).put("email", "maria@example.test"))).getString("id");
  }

  @Test
  void aPatientRegistersDevicesAndChoosesHowToBeReachedAndNoOtherTenantSeesEither() {
    Clinic clinic = Clinic.in("us");
    String patientId = patientWithContact(clinic, "+15550101010");
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    JsonObject device = expect(api.post("/v1/portal/devices", me, new JsonObject().put("token", "fcm-token-abcdef123456")
        .put("platform", "android")), 201).json();
    assertThat(device.getString("tokenEnding")).isEqualTo("123456");
    assertThat(expect(api.get("/v1/portal/devices", me), 200).items()).hasSize(1);

    JsonObject defaults = expect(api.get("/v1/portal/notification-preferences", me), 200).json();
    assertThat(defaults.getJsonArray("channelOrder")).containsExactly("push", "sms", "email");
    JsonObject mine = expect(api.put("/v1/portal/notification-preferences", me, new JsonObject()
        .put("channelOrder", new JsonArray().add("sms").add("email")).put("optedOutCategories",
            new JsonArray().add("campaigns")).put("timeZone", "America/Chicago").put("locale", "es-MX")), 200).json();
    assertThat(mine.getString("timeZone")).isEqualTo("America/Chicago");
    expect(api.put("/v1/portal/notification-preferences", me, new JsonObject()
        .put("channelOrder", new JsonArray().add("sms")).put("timeZone", "Mars/Olympus")), 400);
    JsonObject seenByDesk = expect(api.get("/v1/patients/" + patientId + "/notification-preferences",
        clinic.token(clinic.desk)), 200).json();
    assertThat(seenByDesk.getJsonArray("optedOutCategories")).containsExactly("campaigns");

    Clinic other = Clinic.in("us");
    expect(api.get("/v1/patients/" + patientId + "/notification-preferences", other.token(other.desk)), 404);
    expect(api.put("/v1/patients/" + patientId + "/notification-preferences", other.token(other.admin),
        new JsonObject().put("channelOrder", new JsonArray().add("email"))), 404);
    String stranger = platform.token(platform.patientAccount(other.tenant,
        UUID.fromString(other.patient("Stranger", "Sam").getString("id"))));
    assertThat(expect(api.get("/v1/portal/devices", stranger), 200).items()).isEmpty();
    expect(api.delete("/v1/portal/devices/" + device.getString("id"), stranger), 404);
    expect(api.delete("/v1/portal/devices/" + device.getString("id"), me), 204);
    assertThat(Sql.query(platform.superuser("us"), "SELECT count(*) AS n FROM device WHERE id = ?",
        UUID.fromString(device.getString("id"))).get(0).get("n")).isEqualTo(0L);
  }

  @Test
  void aTokenRegisteredToAnotherPatientIsAConflictAndStaysTheirs() {
    Clinic clinic = Clinic.in("us");
    String ownerId = clinic.patient("Owner", "Olga").getString("id");
    String owner = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(ownerId)));
    String other = platform.token(platform.patientAccount(clinic.tenant,
        UUID.fromString(clinic.patient("Other", "Oscar").getString("id"))));
    JsonObject registration = new JsonObject().put("token", "fcm-token-shared-" + UUID.randomUUID())
        .put("platform", "android");
    JsonObject device = expect(api.post("/v1/portal/devices", owner, registration), 201).json();

    Api.Response refused = expect(api.post("/v1/portal/devices", other, registration.copy().put("platform", "ios")),
        409);
    assertThat(refused.body()).doesNotContain(registration.getString("token"));
    assertThat(expect(api.get("/v1/portal/devices", other), 200).items()).isEmpty();
    assertThat(Sql.query(platform.superuser("us"), "SELECT patient_id::text AS p, platform FROM device WHERE id = ?",
        UUID.fromString(device.getString("id")))).containsExactly(Map.of("p", ownerId, "platform", "android"));
    // The same patient registering the same token again is idempotent.
    assertThat(expect(api.post("/v1/portal/devices", owner, registration), 201).json().getString("id"))
        .isEqualTo(device.getString("id"));
  }

  @Test
  void aBookedAppointmentReachesThePatientAndItsHistoryIsTheTenantsAlone() {
    Clinic clinic = Clinic.in("us");
    String patientId = patientWithContact(clinic, "+15550102020");
    String admin = clinic.token(clinic.admin);
    // No quiet hours, so the notice goes out whatever the time of day the test runs at.
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00"));
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    clinic.appointment(patientId);
    JsonObject message = Await.until(() -> expect(api.get("/v1/messages?patientId=" + patientId, admin), 200)
        .items(), items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status")))
        .getJsonObject(0);
    assertThat(message.getString("topic")).isEqualTo("appointment.booked");
    assertThat(message.getString("provider")).isEqualTo("sandbox");
    assertThat(message.getString("channel")).isEqualTo("sms");
    assertThat(message.getJsonObject("content").getString("body")).contains("Maria");
    JsonObject detail = expect(api.get("/v1/messages/" + message.getString("id"), admin), 200).json();
    assertThat(detail.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("status")).toList())
        .containsSubsequence("queued", "sending", "sent");
    expect(api.post("/v1/messages/" + message.getString("id") + "/requeue", admin, new JsonObject()), 409);
    assertThat(expect(api.get("/v1/dead-letters", admin), 200).items()).isEmpty();

    expect(api.get("/v1/messages", clinic.token(clinic.desk)), 403);
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/messages/" + message.getString("id"), other.token(other.admin)), 404);
    assertThat(expect(api.get("/v1/messages?patientId=" + patientId, other.token(other.admin)), 200).items()).isEmpty();
    assertThat(Sql.query(io.caduceus.routing.testing.TestInfrastructure.get().asApp(platform.owner("us")), "SELECT count(*) AS n FROM message").get(0).get("n"))
        .isEqualTo(0L);
  }

  @Test
  void templatesMayNotPutClinicalDetailOnSmsAndTheShippedWordingReturnsWhenOneIsRemoved() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    String path = "/v1/engagement/templates/lab_result.abnormal/sms/en";
    expect(api.put(path, admin, new JsonObject().put("body", "{{abnormalCount}} abnormal results")), 422);
    expect(api.put(path, admin, new JsonObject().put("body", "Hi {{diagnosis}}")), 422);
    JsonObject own = expect(api.put(path, admin, new JsonObject().put("body", "New alert at {{tenantName}}.")), 200)
        .json();
    assertThat(own.getBoolean("shipped")).isFalse();
    assertThat(own.getJsonArray("variables")).containsExactly("tenantName");
    JsonArray listed = expect(api.get("/v1/engagement/templates?topic=lab_result.abnormal&channel=sms", admin), 200)
        .items();
    assertThat(listed.stream().map(t -> ((JsonObject) t).getBoolean("shipped")).toList()).contains(true, false);
    expect(api.put(path, clinic.token(clinic.doctor), new JsonObject().put("body", "x")), 403);
    expect(api.delete(path, admin), 204);
    expect(api.delete(path, admin), 404);

    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("dailyCap", 5).put("timeZone", "Europe/Berlin");
    settings.getJsonObject("channelVariables").put("sms", new JsonArray().add("none").add("clinical"));
    JsonObject saved = expect(api.put("/v1/engagement/settings", admin, settings), 200).json();
    assertThat(saved.getInteger("dailyCap")).isEqualTo(5);
    assertThat(saved.getJsonObject("channelVariables").getJsonArray("sms")).containsExactly("none");
  }

  @Test
  void aTenantsTwilioAccountIsSealedAndOnlyItsSignedStopChangesConsent() {
    Clinic clinic = Clinic.in("us");
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    String patientId = patientWithContact(clinic, phone);
    String admin = clinic.token(clinic.admin);
    JsonObject stored = expect(api.put("/v1/engagement/credentials/sms", admin, new JsonObject().put("accountSid", SID)
        .put("authToken", AUTH_TOKEN).put("from", "+15005550006")), 200).json();
    assertThat(stored.encode()).doesNotContain(AUTH_TOKEN);
    assertThat(expect(api.get("/v1/engagement/credentials", admin), 200).items().encode()).doesNotContain(AUTH_TOKEN)
        .contains("\"source\":\"tenant\"");
    byte[] sealed = (byte[]) Sql.query(platform.superuser("us"), "SELECT sealed FROM provider_credential"
        + " WHERE tenant_id = ?", clinic.tenant.id().value()).get(0).get("sealed");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(AUTH_TOKEN);

    String path = "/v1/webhooks/twilio/" + clinic.tenant.id() + "/inbound";
    Map<String, String> stop = new LinkedHashMap<>();
    stop.put("AccountSid", SID);
    stop.put("From", phone);
    stop.put("To", "+15005550006");
    stop.put("Body", "STOP");
    stop.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    String url = "http://127.0.0.1:" + platform.app().port() + path;
    expect(form(path, stop, FakeTwilio.signature("someone-else", url, stop)), 403);
    String prefs = "/v1/patients/" + patientId + "/notification-preferences";
    assertThat(expect(api.get(prefs, admin), 200).json().getBoolean("smsStopped")).isFalse();
    expect(form(path, stop, FakeTwilio.signature(AUTH_TOKEN, url, stop)), 204);
    assertThat(expect(api.get(prefs, admin), 200).json().getBoolean("smsStopped")).isTrue();
    stop.put("Body", "start");
    expect(form(path, stop, FakeTwilio.signature(AUTH_TOKEN, url, stop)), 204);
    assertThat(expect(api.get(prefs, admin), 200).json().getBoolean("smsStopped")).isFalse();

    Clinic other = Clinic.in("us");
    String otherPath = "/v1/webhooks/twilio/" + other.tenant.id() + "/inbound";
    expect(form(otherPath, stop, FakeTwilio.signature(AUTH_TOKEN, "http://127.0.0.1:" + platform.app().port() + otherPath,
        stop)), 403);
    expect(api.delete("/v1/engagement/credentials/sms", admin), 204);
    expect(api.delete("/v1/engagement/credentials/sms", admin), 404);
  }

  private Api.Response form(String path, Map<String, String> fields, String signature) {
    String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return api.send("POST", path, null, body, Map.of("Content-Type", "application/x-www-form-urlencoded",
        "X-Twilio-Signature", signature));
  }

  @Test
  void anSmsThroughTheTenantsOwnTwilioAccountIsMarkedDeliveredBySignedReceipt() {
    Clinic clinic = Clinic.in("us");
    String admin = clinic.token(clinic.admin);
    JsonObject settings = expect(api.get("/v1/engagement/settings", admin), 200).json();
    settings.remove("version");
    settings.put("quietHours", new JsonObject().put("start", "00:00").put("end", "00:00"));
    expect(api.put("/v1/engagement/settings", admin, settings), 200);
    expect(api.put("/v1/engagement/credentials/sms", admin, new JsonObject().put("accountSid", SID)
        .put("authToken", AUTH_TOKEN).put("from", "+15005550006")), 200);
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    String patientId = patientWithContact(clinic, phone);
    clinic.appointment(patientId);
    JsonObject sent = Await.until(() -> expect(api.get("/v1/messages?patientId=" + patientId, admin), 200)
        .items(), items -> !items.isEmpty() && "sent".equals(items.getJsonObject(0).getString("status")))
        .getJsonObject(0);
    assertThat(sent.getString("provider")).isEqualTo("twilio:" + SID);
    assertThat(sent.getString("addressHint")).isEqualTo("…" + phone.substring(phone.length() - 2));
    FakeTwilio.Sent atTwilio = TestPlatform.PROVIDERS.twilio.ledger().stream().filter(m -> m.to().equals(phone))
        .findFirst().orElseThrow();
    assertThat(atTwilio.sid()).isEqualTo(sent.getString("providerMessageId"));
    assertThat(atTwilio.statusCallback()).endsWith("/v1/webhooks/twilio/" + clinic.tenant.id() + "/status");
    assertThat(await(TestPlatform.PROVIDERS.twilio.reportStatus(atTwilio, "delivered"))).isEqualTo(204);
    JsonObject delivered = expect(api.get("/v1/messages/" + sent.getString("id"), admin), 200).json();
    assertThat(delivered.getString("status")).isEqualTo("delivered");
    assertThat(delivered.getJsonArray("history").stream().map(e -> ((JsonObject) e).getString("status")).toList())
        .endsWith("delivered");
    expect(form("/v1/webhooks/twilio/" + clinic.tenant.id() + "/status", Map.of("AccountSid", SID, "MessageSid",
        atTwilio.sid(), "MessageStatus", "undelivered"), "forged"), 403);
  }
}
