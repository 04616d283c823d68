package io.caduceus.api.smart;

import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.fhir.FhirValidation;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A patient-scoped SMART token's {@code _summary=count} and {@code _total} count only its patient's records. */
class SmartSearchCountTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private int total(String search, String token) {
    Api.Response r = expect(api.send("GET", "/fhir/r4" + search, token, null, FHIR), 200);
    FhirValidation.assertValid(r.body());
    JsonObject bundle = r.json();
    return bundle.getInteger("total");
  }

  @Test
  void aPatientScopedTokenCountsOnlyItsPatient() {
    String mine = clinic.patient("Counted", "Lea").getString("id");
    String neighbour = clinic.patient("Uncounted", "Jean").getString("id");
    clinic.appointment(mine);
    clinic.appointment(neighbour);
    clinic.appointment(neighbour);
    SmartAppFixture app = SmartAppFixture.register(api, clinic, "patient/Patient.rs", "patient/Appointment.rs",
        "launch/patient");
    TestUser patient = platform.patientAccount(clinic.tenant, UUID.fromString(mine));
    String token = app.token("patient/Patient.rs patient/Appointment.rs launch/patient", clinic.token(patient));

    assertThat(total("/Patient?_summary=count", token)).isEqualTo(1);
    assertThat(total("/Patient?_summary=count&_id=" + neighbour, token)).isZero();
    assertThat(total("/Appointment?_summary=count", token)).isEqualTo(1);
    assertThat(total("/Appointment?_summary=count&patient=" + neighbour, token)).isZero();
    assertThat(total("/Appointment?_total=accurate", token)).isEqualTo(1);
    assertThat(total("/Appointment?_summary=count", clinic.token(clinic.desk))).isEqualTo(3);
  }
}
