package io.caduceus.api.phone;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.notifications.fakes.FakeTwilio;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Phone numbers are stored and matched in E.164, read in the tenant's country when written without a code. */
class PhoneNumberTest {

  private static final String SID = TestPlatform.Providers.TWILIO_SID;
  private static final String AUTH_TOKEN = TestPlatform.Providers.TWILIO_TOKEN;

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void aPatientsPhoneIsStoredInE164AndANationalNumberIsReadInTheTenantsCountry() {
    Clinic clinic = Clinic.in("us");
    JsonObject created = clinic.patient(patient("+1 555 0107"));
    assertThat(created.getJsonObject("contact").getString("phone")).isEqualTo("+15550107");
    JsonObject moved = expect(api.patch("/v1/patients/" + created.getString("id"), clinic.token(clinic.desk),
        new JsonObject().put("contact", new JsonObject().put("phone", "(202) 555-0107")), "\"1\""), 200).json();
    assertThat(moved.getJsonObject("contact").getString("phone")).isEqualTo("+12025550107");
  }

  @Test
  void aNumberNoPhoneCanHaveIsRefusedNamingTheFieldButNotTheValue() {
    Clinic clinic = Clinic.in("us");
    Api.Response tooShort = expect(api.post("/v1/patients", clinic.token(clinic.desk), patient("+1 234 5")), 400);
    assertThat(tooShort.json().getJsonArray("errors").getJsonObject(0).getString("pointer"))
        .isEqualTo("/contact/phone");
    assertThat(tooShort.json().getJsonArray("errors").getJsonObject(0).getString("detail")).contains("too short");
    // The request id is random hex and may hold "234" by chance: the rest of the problem must not.
    JsonObject shown = tooShort.json();
    shown.remove("requestId");
    assertThat(shown.encode()).doesNotContain("234");
    Api.Response nowhere = expect(api.post("/v1/patients", clinic.token(clinic.desk), patient("+999 123 4567")), 400);
    assertThat(nowhere.json().getJsonArray("errors").getJsonObject(0).getString("detail"))
        .isEqualTo("has an unknown country code");

    JsonObject profile = expect(api.post("/v1/practitioners", clinic.token(clinic.admin), new JsonObject()
        .put("name", new JsonObject().put("family", "Abroad")).put("phone", "+44 (0)20 7946 0000")), 201).json();
    assertThat(profile.getString("phone")).isEqualTo("+442079460000");
    Api.Response bad = expect(api.patch("/v1/practitioners/" + profile.getString("id"), clinic.token(clinic.admin),
        new JsonObject().put("phone", "+1 234 5"), "\"1\""), 400);
    assertThat(bad.json().getJsonArray("errors").getJsonObject(0).getString("pointer")).isEqualTo("/phone");
  }

  @Test
  void withoutACountryInTheTenantsLocaleANumberNeedsItsCountryCode() {
    Clinic clinic = Clinic.in("us");
    String tenant = "/v1/tenants/" + clinic.tenant.id();
    String etag = expect(api.get(tenant, clinic.token(clinic.admin)), 200).header("ETag");
    expect(api.patch(tenant, clinic.token(clinic.admin), new JsonObject().put("locale", "en"), etag), 200);
    Api.Response national = expect(api.post("/v1/patients", clinic.token(clinic.desk), patient("(202) 555-0107")), 400);
    assertThat(national.json().getJsonArray("errors").getJsonObject(0).getString("detail"))
        .contains("needs its country code");
    assertThat(clinic.patient(patient("+49 30 1234567")).getJsonObject("contact").getString("phone"))
        .isEqualTo("+49301234567");
  }

  @Test
  void anInboundStopFromTheE164FormFindsTheNumberAsItWasWritten() {
    Clinic clinic = Clinic.in("us");
    String patientId = clinic.patient(patient("+1 555 0107")).getString("id");
    String admin = clinic.token(clinic.admin);
    JsonObject account = expect(api.put("/v1/engagement/credentials/sms", admin, new JsonObject()
        .put("accountSid", SID).put("authToken", AUTH_TOKEN).put("from", "+1 500 555 0006")), 200).json();
    assertThat(account.getJsonObject("summary").getString("from")).isEqualTo("+15005550006");

    String path = "/v1/webhooks/twilio/" + clinic.tenant.id() + "/inbound";
    Map<String, String> stop = new LinkedHashMap<>();
    stop.put("AccountSid", SID);
    stop.put("From", "+15550107");
    stop.put("To", "+15005550006");
    stop.put("Body", "STOP");
    stop.put("MessageSid", "SM" + UUID.randomUUID().toString().replace("-", ""));
    String url = "http://127.0.0.1:" + platform.app().port() + path;
    expect(form(path, stop, FakeTwilio.signature(AUTH_TOKEN, url, stop)), 204);
    assertThat(expect(api.get("/v1/patients/" + patientId + "/notification-preferences", admin), 200).json()
        .getBoolean("smsStopped")).isTrue();
  }

  private static JsonObject patient(String phone) {
    return new JsonObject().put("name", new JsonObject().put("family", "Dialer").put("given", "Dee"))
        .put("birthDate", "1984-07-21").put("contact", new JsonObject().put("phone", phone));
  }

  private Api.Response form(String path, Map<String, String> fields, String signature) {
    String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return api.send("POST", path, null, body, Map.of("Content-Type", "application/x-www-form-urlencoded",
        "X-Twilio-Signature", signature));
  }
}
