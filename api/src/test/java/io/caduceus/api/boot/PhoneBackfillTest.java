package io.caduceus.api.boot;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.caduceus.api.testing.Clinic.expect;
import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Numbers saved in national format before numbers were stored in E.164 are rewritten after start-up, read in the
 * country of their tenant's locale; a tenant whose locale names no country keeps them as they were.
 */
class PhoneBackfillTest {

  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  @Test
  void nationalNumbersSavedBeforeE164AreRewrittenInTheirTenantsCountry() {
    Clinic us = Clinic.in("us");
    String patient = legacyPatient(us, "(202) 555-0150");
    String doctor = us.practitionerId;
    Sql.update(platform.superuser("us"), "UPDATE practitioner SET phone = '202 555 0151' WHERE id = ?::uuid", doctor);
    Clinic nowhere = Clinic.in("us");
    String etag = expect(api.get("/v1/tenants/" + nowhere.tenant.id(), nowhere.token(nowhere.admin)), 200)
        .header("ETag");
    expect(api.patch("/v1/tenants/" + nowhere.tenant.id(), nowhere.token(nowhere.admin),
        new JsonObject().put("locale", "en"), etag), 200);
    String unread = legacyPatient(nowhere, "(202) 555-0152");

    assertThat(await(platform.app().assembly().phoneBackfill.run())).isGreaterThanOrEqualTo(2);

    assertThat(phone(us, patient)).isEqualTo("+12025550150");
    assertThat(expect(api.get("/v1/practitioners/" + doctor, us.token(us.admin)), 200).json().getString("phone"))
        .isEqualTo("+12025550151");
    assertThat(phone(nowhere, unread)).isEqualTo("(202) 555-0152");
    assertThat(Sql.query(platform.superuser("us"), "SELECT patient_ids::text AS ids FROM audit_event"
        + " WHERE tenant_id = ? AND action = 'patient.phone_normalised'", us.tenant.id().value()))
        .singleElement().satisfies(row -> assertThat((String) row.get("ids")).contains(patient));
    assertThat(await(platform.app().assembly().phoneBackfill.run())).isZero();
  }

  /** A patient whose phone is stored as it was typed, as before V12. */
  private String legacyPatient(Clinic clinic, String phone) {
    String id = clinic.patient("Legacy", "Lee").getString("id");
    Sql.update(platform.superuser("us"), "UPDATE patient SET contact = jsonb_build_object('phone', ?::text)"
        + " WHERE id = ?::uuid", phone, id);
    return id;
  }

  private String phone(Clinic clinic, String patient) {
    return expect(api.get("/v1/patients/" + patient, clinic.token(clinic.desk)), 200).json()
        .getJsonObject("contact").getString("phone");
  }
}
