package io.caduceus.api.prescription;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped knowledge base loads and answers lookups; a broken one is refused whole, naming the problem. */
class InteractionKnowledgeBaseTest {

  @Test
  void theShippedKnowledgeBaseLoadsAndAnswersPairsInEitherOrder() {
    InteractionKnowledgeBase kb = InteractionKnowledgeBase.shipped();
    assertThat(kb.version()).matches("[0-9]{4}\\.[0-9]{2}");
    Interaction bleeding = kb.between("1191", "11289").orElseThrow();
    assertThat(kb.between("11289", "1191")).contains(bleeding);
    assertThat(bleeding.severity()).isEqualTo("major");
    assertThat(bleeding.sources()).extracting(Interaction.Citation::id).containsExactly("fda-label-warfarin");
    assertThat(kb.between("36567", "21212").orElseThrow().severity()).isEqualTo("contraindicated");
    assertThat(kb.between("6809", "723")).isEmpty();
    assertThat(kb.ingredientsOf("198335")).contains(List.of("10180", "10829"));
    assertThat(kb.ingredientsOf("4450")).contains(List.of("4450"));
    assertThat(kb.ingredientsOf("1000001")).isEmpty();
    assertThat(kb.ingredientName("11289")).isEqualTo("warfarin");
    assertThat(kb.ingredientName("99999")).isEqualTo("rxcui 99999");
  }

  @Test
  void aMinimalValidDocumentLoads() {
    InteractionKnowledgeBase kb = InteractionKnowledgeBase.parse(valid().encode());
    assertThat(kb.between("2", "1")).isPresent();
    assertThat(kb.ingredientsOf("100")).contains(List.of("1"));
  }

  @Test
  void textThatIsNotJsonIsRefused() {
    assertThatThrownBy(() -> InteractionKnowledgeBase.parse("{\"name\": \"broken\", \"sources\": ["))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a JSON object");
  }

  @Test
  void anInteractionNamingAnUnknownIngredientIsRefused() {
    refused(doc -> interaction(doc).put("b", "3"), "/interactions/0/b names no listed ingredient");
  }

  @Test
  void anInteractionCitingAnUnknownSourceIsRefused() {
    refused(doc -> interaction(doc).put("sources", new JsonArray().add("nowhere")),
        "/interactions/0/sources/0 names no listed source");
  }

  @Test
  void anInteractionWithoutSourcesIsRefused() {
    refused(doc -> interaction(doc).put("sources", new JsonArray()), "cites no source");
  }

  @Test
  void anUnknownSeverityIsRefused() {
    refused(doc -> interaction(doc).put("severity", "minor"), "unknown severity");
  }

  @Test
  void aPairListedTwiceInEitherOrderIsRefused() {
    refused(doc -> doc.getJsonArray("interactions").add(interaction(doc).copy().put("a", "2").put("b", "1")),
        "already listed");
  }

  @Test
  void aProductOfUnknownIngredientsIsRefused() {
    refused(doc -> doc.getJsonArray("products").getJsonObject(0).put("ingredients", new JsonArray().add("7")),
        "/products/0/ingredients/0 names no listed ingredient");
  }

  @Test
  void aMissingSectionIsRefused() {
    refused(doc -> doc.remove("ingredients"), "\"ingredients\" is not an array");
  }

  private static void refused(Consumer<JsonObject> breakIt, String why) {
    JsonObject doc = valid();
    breakIt.accept(doc);
    assertThatThrownBy(() -> InteractionKnowledgeBase.parse(doc.encode()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining(why);
  }

  private static JsonObject interaction(JsonObject doc) {
    return doc.getJsonArray("interactions").getJsonObject(0);
  }

  private static JsonObject valid() {
    return new JsonObject().put("name", "test kb").put("version", "2026.01")
        .put("sources", new JsonArray().add(new JsonObject().put("id", "label").put("citation", "A label.")))
        .put("ingredients", new JsonArray().add(new JsonObject().put("rxcui", "1").put("name", "one"))
            .add(new JsonObject().put("rxcui", "2").put("name", "two")))
        .put("products", new JsonArray().add(new JsonObject().put("rxcui", "100").put("name", "one 5 MG")
            .put("ingredients", new JsonArray().add("1"))))
        .put("interactions", new JsonArray().add(new JsonObject().put("a", "1").put("b", "2")
            .put("severity", "major").put("effect", "Something happens.").put("management", "Do something.")
            .put("sources", new JsonArray().add("label"))));
  }
}
