package io.caduceus.api.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cached validators share one copy of the schema lookup, and validate exactly as before. */
class SharedLookupsTest {

  private static final JsonObject DOCUMENT = new JsonObject()
      .put("$id", "app:///contract.json")
      .put("$defs", new JsonObject()
          .put("Age", new JsonObject().put("type", "integer").put("minimum", 0))
          .put("Person", new JsonObject().put("type", "object").put("required", new JsonArray().add("age"))
              .put("properties", new JsonObject().put("age", new JsonObject()
                  .put("$ref", "app:///contract.json#/$defs/Age")))));

  @Test
  void validatorsOfOneRepositoryShareOneLookupAndStillValidate() {
    SchemaRepository repository = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("app:///"));
    repository.dereference(JsonSchema.of(DOCUMENT));
    SharedLookups lookups = new SharedLookups();
    Validator person = lookups.share(repository.validator(JsonSchema.of(new JsonObject()
        .put("$ref", "app:///contract.json#/$defs/Person"))));
    Validator age = lookups.share(repository.validator(JsonSchema.of(new JsonObject()
        .put("$ref", "app:///contract.json#/$defs/Age"))));

    assertThat(lookups.distinct()).isEqualTo(1);
    assertThat(person.validate(new JsonObject().put("age", 40)).getValid()).isTrue();
    assertThat(person.validate(new JsonObject().put("age", -1)).getValid()).isFalse();
    assertThat(person.validate(new JsonObject()).getValid()).isFalse();
    assertThat(age.validate(3).getValid()).isTrue();
    assertThat(age.validate("three").getValid()).isFalse();
  }
}
