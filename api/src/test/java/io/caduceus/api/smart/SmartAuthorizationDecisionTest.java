package io.caduceus.api.smart;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.AuditRows;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** The portal reads a pending SMART authorization request in words, and the user may deny it. */
class SmartAuthorizationDecisionTest extends ClinicFixture {

  private SmartAppFixture app;

  @BeforeEach
  void anApp() {
    app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "patient/Observation.read", "offline_access");
  }

  @Test
  void thePatientReadsThePendingRequestInWordsAndAnotherTenantCannot() {
    String mine = clinic.patient("Moreau", "Lea").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(mine));
    SmartAppFixture.Launch launch = app.launch("patient/Patient.rs patient/Observation.read offline_access");
    JsonObject shown = expect(api.get("/v1/smart/authorizations/" + launch.requestId(), clinic.token(patient)), 200)
        .json();
    assertThat(shown.getString("appName")).isEqualTo("Health diary");
    assertThat(shown.getString("appId")).isEqualTo(app.appId);
    assertThat(shown.getString("patientId")).isEqualTo(mine);
    assertThat(shown.getString("userId")).isEqualTo(patient.id().toString());
    assertThat(shown.getString("expiresAt")).isNotBlank();
    assertThat(shown.getJsonArray("scopes")).hasSize(3);
    assertThat(shown.getJsonArray("scopes").getJsonObject(0).getString("scope")).isEqualTo("patient/Patient.rs");
    assertThat(shown.getJsonArray("scopes").getJsonObject(0).getString("description"))
        .isEqualTo("Read Patient records of the patient");
    assertThat(shown.getJsonArray("scopes").getJsonObject(2).getString("description"))
        .contains("after you sign out");
    Clinic other = Clinic.in("us");
    expect(api.get("/v1/smart/authorizations/" + launch.requestId(), other.token(other.desk)), 404);
    expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/deny", other.token(other.desk),
        new JsonObject()), 404);
    expect(api.get("/v1/smart/authorizations/" + UUID.randomUUID(), clinic.token(patient)), 404);
  }

  @Test
  void aDeniedRequestSendsTheAppAccessDeniedWithItsStateAndCannotBeApprovedAfter() {
    String mine = clinic.patient("Petit", "Luc").getString("id");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(mine));
    SmartAppFixture.Launch launch = app.launch("patient/Patient.rs");
    String redirect = expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/deny",
        clinic.token(patient), new JsonObject()), 200).json().getString("redirectTo");
    URI to = URI.create(redirect);
    assertThat(redirect).startsWith(SmartAppFixture.CALLBACK.toString() + "?");
    assertThat(to.getQuery()).contains("error=access_denied").contains("state=" + launch.state().getValue())
        .doesNotContain("code=");
    expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/approve", clinic.token(patient),
        new JsonObject()), 404);
    expect(api.post("/v1/smart/authorizations/" + launch.requestId() + "/deny", clinic.token(patient),
        new JsonObject()), 404);
    expect(api.get("/v1/smart/authorizations/" + launch.requestId(), clinic.token(patient)), 404);
    assertThat(expect(api.get("/v1/smart/consents", clinic.token(patient)), 200).json().getJsonArray("items"))
        .isEmpty();
    assertThat(AuditRows.of(platform, clinic.tenant, "smart_consent.deny"))
        .anySatisfy(row -> assertThat(row).startsWith("smart_authorization " + launch.requestId()));
  }
}
