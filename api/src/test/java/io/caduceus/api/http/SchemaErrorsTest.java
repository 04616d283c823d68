package io.caduceus.api.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.OpenAPIContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.caduceus.routing.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

/** A validation failure reads as one clear reason per field, against the contract's real schemas. */
class SchemaErrorsTest {

  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void theContract() throws Exception {
    vertx = Vertx.vertx();
    contract = await(Contract.load().forRouter(vertx));
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  @Test
  void eachFieldIsNamedOnceWithItsMostSpecificReason() {
    Map<String, String> errors = errors("createPatient", new JsonObject()
        .put("name", new JsonObject().put("family", 5))
        .put("birthDate", "someday")
        .put("sex", "sometimes")
        .put("contact", new JsonObject().put("phone", "call me").put("fax", "1"))
        .put("nickname", "Kit"));
    assertThat(errors).containsExactlyInAnyOrderEntriesOf(Map.of(
        "/name/family", "is not of the expected type",
        "/birthDate", "is not in the expected format",
        "/sex", "is not one of the allowed values",
        "/contact/phone", "does not match the expected pattern",
        "/contact/fax", "the contract defines no property \"fax\" here",
        "/nickname", "the contract defines no property \"nickname\" here"));
  }

  @Test
  void aMissingRequiredPropertyHasItsOwnPointer() {
    assertThat(errors("createPatient", new JsonObject())).containsExactlyEntriesOf(Map.of("/name", "is required"));
    assertThat(errors("createPatient", new JsonObject().put("name", new JsonObject().put("given", "Ann"))))
        .containsExactlyEntriesOf(Map.of("/name/family", "is required"));
  }

  @Test
  void theNullBranchOfAnOptionalValueDoesNotHideWhatIsWrongInside() {
    Map<String, String> errors = errors("putTenantQuotas", new JsonObject()
        .put("tenant", new JsonObject().put("perSecond", -1).put("burst", 10)));
    assertThat(errors).containsExactlyEntriesOf(Map.of("/tenant/perSecond", "is below the minimum"));
  }

  @Test
  void anUndeclaredNameIsGivenInPlainText() {
    assertThat(errors("createPatient", new JsonObject().put("name", new JsonObject().put("family", "Ng"))
        .put("home phone", "1"))).containsExactlyEntriesOf(Map.of("/home phone",
        "the contract defines no property \"home phone\" here"));
  }

  @Test
  void anUnprintableOrValueSizedPropertyNameIsNotRepeated() {
    Map<String, String> errors = errors("createPatient", new JsonObject().put("name",
        new JsonObject().put("family", "Ng")).put("bad\u0000name", 1).put("x".repeat(200), 2));
    assertThat(errors).containsExactlyEntriesOf(Map.of("", "has a property the contract does not define"));
  }

  @Test
  void thousandsOfBadItemsGiveTheFirstHundredFields() {
    JsonArray allergies = new JsonArray();
    for (int i = 0; i < 20_000; i++) {
      allergies.add(i);
    }
    Map<String, String> errors = errors("createPatient", new JsonObject().put("name", new JsonObject()
        .put("family", "Many")).put("clinical", new JsonObject().put("allergies", allergies)));
    assertThat(errors).hasSize(100).containsEntry("/clinical/allergies/0", "is not of the expected type");
  }

  /** The pointers and reasons of validating {@code body} against the operation's request schema. */
  private static Map<String, String> errors(String operationId, JsonObject body) {
    var schema = contract.operation(operationId).getRequestBody().getContent().get("application/json").getSchema();
    OutputUnit unit = contract.getSchemaRepository().validator(schema).validate(body);
    assertThat(unit.getValid()).isFalse();
    JsonArray array = SchemaErrors.of(null, unit);
    Map<String, String> errors = new LinkedHashMap<>();
    for (Object e : array) {
      JsonObject error = (JsonObject) e;
      assertThat(errors.put(error.getString("pointer"), error.getString("detail"))).as("one entry per pointer")
          .isNull();
    }
    return errors;
  }
}
