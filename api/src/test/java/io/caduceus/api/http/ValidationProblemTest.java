package io.caduceus.api.http;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.ClinicFixture;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A 400 for a body that breaks the contract names each field once, with one clear reason. */
class ValidationProblemTest extends ClinicFixture {

  @Test
  void eachFieldIsNamedOnceAndADeclaredFieldIsNeverCalledAdditional() {
    Api.Response r = expect(api.post("/v1/patients", clinic.token(clinic.desk), new JsonObject()
        .put("name", new JsonObject().put("family", 5)).put("birthDate", "soon")
        .put("contact", new JsonObject().put("phone", "call me").put("fax", "1")).put("nickname", "Kit")), 400);
    List<JsonObject> errors = r.json().getJsonArray("errors").stream().map(e -> (JsonObject) e).toList();
    assertThat(errors.stream().map(e -> e.getString("pointer")))
        .containsExactlyInAnyOrder("/name/family", "/birthDate", "/contact/phone", "/contact/fax", "/nickname");
    assertThat(errors).filteredOn(e -> e.getString("detail").contains("additional")).isEmpty();
    assertThat(errors).filteredOn(e -> e.getString("pointer").equals("/nickname"))
        .extracting(e -> e.getString("detail")).containsExactly("the contract defines no property \"nickname\" here");
    assertThat(r.body()).doesNotContain("call me").doesNotContain("soon");
  }
}
