package io.caduceus.api.patient;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Nobody is born in the future; a child born today anywhere on Earth is. */
class BirthDateTest {

  private final Api api = TestPlatform.get().api();

  @Test
  void aBirthDateInTheFutureIsRefusedOnCreateAndUpdate() {
    Clinic clinic = Clinic.in("us");
    String nextWeek = LocalDate.now(ZoneOffset.UTC).plusDays(7).toString();
    Api.Response created = expect(api.post("/v1/patients", clinic.token(clinic.desk), patient(nextWeek)), 400);
    JsonObject error = created.json().getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("pointer")).isEqualTo("/birthDate");
    assertThat(error.getString("detail")).isEqualTo("is in the future");

    String id = clinic.patient(patient("1990-05-01")).getString("id");
    expect(api.patch("/v1/patients/" + id, clinic.token(clinic.desk), new JsonObject().put("birthDate", "2999-01-01"),
        "\"1\""), 400);
    assertThat(expect(api.get("/v1/patients/" + id, clinic.token(clinic.desk)), 200).json().getString("birthDate"))
        .isEqualTo("1990-05-01");
  }

  @Test
  void aChildBornTodayIsRegistered() {
    Clinic clinic = Clinic.in("us");
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    assertThat(clinic.patient(patient(today)).getString("birthDate")).isEqualTo(today);
  }

  private static JsonObject patient(String birthDate) {
    return new JsonObject().put("name", new JsonObject().put("family", "Born").put("given", "Bo"))
        .put("birthDate", birthDate);
  }
}
