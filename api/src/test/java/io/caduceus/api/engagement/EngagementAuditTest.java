package io.caduceus.api.engagement;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** What the engagement operations record in the audit trail: the patients each concerns, and every outcome. */
class EngagementAuditTest extends ClinicFixture {

  @Test
  void secureMessagesAndTheNoticesOfThemAreRecordedForThePatientTheyConcern() {
    String patientId = clinic.patient("Audited", "Ana").getString("id");
    String path = "/v1/patients/" + patientId + "/secure-messages";
    expect(api.post(path, clinic.token(clinic.nurse), new JsonObject().put("subject", "Results")
        .put("body", "Please call us.")), 201);
    expect(api.get(path, clinic.token(platform.user(clinic.tenant, "accountant"))), 403);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    expect(api.get("/v1/portal/secure-messages", me), 200);
    String missing = UUID.randomUUID().toString();
    expect(api.get(path + "/" + missing, clinic.token(clinic.nurse)), 404);

    String patients = "{" + patientId + "}";
    assertThat(rows(clinic, "secure_message.%")).containsExactlyInAnyOrder(
        "secure_message.send|secure_message|null|" + patients + "|success",
        "secure_message.read|patient|" + patientId + "|" + patients + "|denied",
        "secure_message.read|patient|" + patientId + "|" + patients + "|success",
        "secure_message.read|secure_message|" + missing + "|" + patients + "|not_found");

    String admin = clinic.token(clinic.admin);
    String notice = Await.until(() -> expect(api.get("/v1/messages?topic=message.received&patientId=" + patientId,
        admin), 200).items(), items -> !items.isEmpty()).getJsonObject(0).getString("id");
    expect(api.get("/v1/messages/" + notice, admin), 200);
    expect(api.get("/v1/messages/" + missing, admin), 404);
    assertThat(rows(clinic, "message.read")).containsExactlyInAnyOrder(
        "message.read|message|" + notice + "|" + patients + "|success",
        "message.read|message|" + missing + "|{}|not_found");
    assertThat(rows(clinic, "message.list")).contains("message.list|message|null|" + patients + "|success");
  }

  @Test
  void aSignedStopIsRecordedForThePatientsItStoppedAndOneThatStoppedNobodyIsNot() {
    String phone = "+1555" + (1_000_000 + (int) (Math.random() * 8_999_999));
    String patientId = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", "Stone")
        .put("given", "Sam")).put("birthDate", "1970-01-01").put("sex", "male")
        .put("contact", new JsonObject().put("phone", phone))).getString("id");
    expect(api.put("/v1/engagement/credentials/sms", clinic.token(clinic.admin), new JsonObject()
        .put("accountSid", TestPlatform.Providers.TWILIO_SID).put("authToken", TestPlatform.Providers.TWILIO_TOKEN)
        .put("from", "+15005550006")), 200);

    expect(inbound(clinic, phone, "STOP", "someone-else"), 403);
    expect(inbound(clinic, phone, "STOP", TestPlatform.Providers.TWILIO_TOKEN), 204);
    expect(inbound(clinic, "+15550000001", "STOP", TestPlatform.Providers.TWILIO_TOKEN), 204);
    expect(inbound(clinic, phone, "hello", TestPlatform.Providers.TWILIO_TOKEN), 204);
    expect(inbound(clinic, phone, "START", TestPlatform.Providers.TWILIO_TOKEN), 204);

    String patients = "{" + patientId + "}";
    assertThat(rows(clinic, "notification_preference.sms_%")).containsExactlyInAnyOrder(
        "notification_preference.sms_stop|notification_preference|null|" + patients + "|success",
        "notification_preference.sms_start|notification_preference|null|" + patients + "|success");
  }

  private Api.Response inbound(Clinic clinic, String from, String body, String authToken) {
    String path = "/v1/webhooks/twilio/" + clinic.tenant.id() + "/inbound";
    Map<String, String> form = new LinkedHashMap<>();
    form.put("AccountSid", TestPlatform.Providers.TWILIO_SID);
    form.put("From", from);
    form.put("To", "+15005550006");
    form.put("Body", body);
    form.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    String url = "http://127.0.0.1:" + platform.app().port() + path;
    String encoded = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return api.send("POST", path, null, encoded, Map.of("Content-Type", "application/x-www-form-urlencoded",
        "X-Twilio-Signature", FakeTwilio.signature(authToken, url, form)));
  }

  /** The tenant's audit rows whose action is like {@code action}, as action|type|id|patients|outcome. */
  private List<String> rows(Clinic clinic, String action) {
    return Sql.query(platform.superuser("us"), "SELECT action, resource_type, resource_id::text AS id,"
            + " patient_ids::text AS patients, outcome FROM audit_event WHERE tenant_id = ? AND action LIKE ?",
            clinic.tenant.id().value(), action).stream()
        .map(r -> r.get("action") + "|" + r.get("resource_type") + "|" + r.get("id") + "|" + r.get("patients") + "|"
            + r.get("outcome"))
        .toList();
  }
}
