package io.caduceus.api.practitioner;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

class PractitionerTest extends ClinicFixture {

  @Test
  void anAdminCreatesAndChangesAProfileThatStaffAndPatientsCanRead() {
    String admin = clinic.token(clinic.admin);
    JsonObject created = expect(api.post("/v1/practitioners", admin, new JsonObject()
        .put("name", new JsonObject().put("family", "Okoro").put("given", "Ada")).put("specialty", "Cardiology")
        .put("npi", "1234567893")), 201).json();
    String path = "/v1/practitioners/" + created.getString("id");
    assertThat(created.getBoolean("active")).isTrue();
    assertThat(expect(api.get(path, clinic.token(clinic.nurse)), 200).header("ETag")).isEqualTo("\"1\"");
    String patientId = clinic.patient("Booking", "Ben").getString("id");
    String patient = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(patientId)));
    expect(api.get(path, patient), 200);

    expect(api.patch(path, admin, new JsonObject().put("specialty", "Electrophysiology"), null), 428);
    JsonObject changed = expect(api.patch(path, admin, new JsonObject().put("specialty", "Electrophysiology")
        .put("active", false), "\"1\""), 200).json();
    assertThat(changed.getString("specialty")).isEqualTo("Electrophysiology");
    assertThat(changed.getString("npi")).isEqualTo("1234567893");
    expect(api.patch(path, admin, new JsonObject().put("active", true), "\"1\""), 412);
    expect(api.patch(path, clinic.token(clinic.desk), new JsonObject().put("active", true), "\"2\""), 403);
  }

  @Test
  void theListPagesByFamilyNameAndFiltersByActivity() {
    String admin = clinic.token(clinic.admin);
    for (String family : new String[] {"Zulu", "Alpha", "Mike"}) {
      expect(api.post("/v1/practitioners", admin, new JsonObject().put("name", new JsonObject().put("family", family))),
          201);
    }
    Api.Response first = expect(api.get("/v1/practitioners?limit=2", clinic.token(clinic.desk)), 200);
    assertThat(first.items().stream().map(p -> ((JsonObject) p).getJsonObject("name").getString("family")))
        .containsExactly("Alpha", "Doctor");
    Api.Response rest = expect(api.get("/v1/practitioners?limit=2&cursor=" + first.json().getString("nextCursor"),
        clinic.token(clinic.desk)), 200);
    assertThat(rest.items().stream().map(p -> ((JsonObject) p).getJsonObject("name").getString("family")))
        .containsExactly("Mike", "Zulu");
    assertThat(expect(api.get("/v1/practitioners?active=false", clinic.token(clinic.desk)), 200).items()).isEmpty();
  }

  @Test
  void aProfileLinksOnlyToAMemberOfTheTenantAndOnlyOnce() {
    String admin = clinic.token(clinic.admin);
    Clinic other = Clinic.in("us");
    expect(api.post("/v1/practitioners", admin, new JsonObject().put("userId", other.doctor.id().toString())
        .put("name", new JsonObject().put("family", "Stranger"))), 404);
    expect(api.post("/v1/practitioners", admin, new JsonObject().put("userId", clinic.doctor.id().toString())
        .put("name", new JsonObject().put("family", "Twice"))), 409);
    expect(api.post("/v1/practitioners", clinic.token(clinic.doctor), new JsonObject()
        .put("name", new JsonObject().put("family", "Self"))), 403);
    expect(api.get("/v1/practitioners/" + other.practitionerId, clinic.token(clinic.desk)), 404);
  }
}
