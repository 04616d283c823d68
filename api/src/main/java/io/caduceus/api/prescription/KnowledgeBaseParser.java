package io.caduceus.api.prescription;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code interactions.json} into an {@link InteractionKnowledgeBase}, refusing a file whose references do not
 * resolve: an interaction naming an unknown ingredient or source, a product made of unknown ingredients, a pair
 * listed twice, an unknown severity or an interaction without a citation. A bad file stops start-up; it is never
 * half-loaded.
 */
final class KnowledgeBaseParser {

  private static final String RXCUI = "[0-9]{1,10}";

  private final String json;

  KnowledgeBaseParser(String json) {
    this.json = json;
  }

  /** The checked knowledge base. */
  InteractionKnowledgeBase parse() {
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      throw invalid("it is not a JSON object");
    }
    Map<String, Interaction.Citation> sources = sources(array(root, "sources"));
    Map<String, String> ingredients = ingredients(array(root, "ingredients"));
    Map<String, List<String>> products = products(array(root, "products"), ingredients);
    Map<String, Interaction> interactions = interactions(array(root, "interactions"), ingredients, sources);
    return new InteractionKnowledgeBase(text(root, "name", ""), text(root, "version", ""), ingredients,
        products, interactions);
  }

  private static Map<String, Interaction.Citation> sources(JsonArray array) {
    Map<String, Interaction.Citation> sources = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject s = object(array, i, "/sources");
      String id = text(s, "id", "/sources/" + i);
      if (sources.put(id, new Interaction.Citation(id, text(s, "citation", "/sources/" + i), s.getString("url")))
          != null) {
        throw invalid("source " + id + " is listed twice");
      }
    }
    return sources;
  }

  private static Map<String, String> ingredients(JsonArray array) {
    Map<String, String> ingredients = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      JsonObject in = object(array, i, "/ingredients");
      String rxcui = code(in, "rxcui", "/ingredients/" + i);
      if (ingredients.put(rxcui, text(in, "name", "/ingredients/" + i)) != null) {
        throw invalid("ingredient " + rxcui + " is listed twice");
      }
    }
    return ingredients;
  }

  private static Map<String, List<String>> products(JsonArray array, Map<String, String> ingredients) {
    Map<String, List<String>> products = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "/products/" + i;
      JsonObject p = object(array, i, "/products");
      String rxcui = code(p, "rxcui", at);
      if (ingredients.containsKey(rxcui)) {
        throw invalid("product " + rxcui + " is also listed as an ingredient");
      }
      List<String> of = new ArrayList<>();
      JsonArray listed = array(p, "ingredients");
      for (int j = 0; j < listed.size(); j++) {
        of.add(known(listed.getValue(j), ingredients, at + "/ingredients/" + j));
      }
      if (of.isEmpty() || products.put(rxcui, List.copyOf(of)) != null) {
        throw invalid("product " + rxcui + " has no ingredients or is listed twice");
      }
    }
    return products;
  }

  private static Map<String, Interaction> interactions(JsonArray array, Map<String, String> ingredients,
                                                       Map<String, Interaction.Citation> sources) {
    Map<String, Interaction> interactions = new LinkedHashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "/interactions/" + i;
      JsonObject x = object(array, i, "/interactions");
      String a = known(x.getValue("a"), ingredients, at + "/a");
      String b = known(x.getValue("b"), ingredients, at + "/b");
      String severity = text(x, "severity", at);
      if (a.equals(b) || !Interaction.SEVERITIES.contains(severity)) {
        throw invalid(at + " pairs an ingredient with itself or has an unknown severity");
      }
      List<Interaction.Citation> cited = new ArrayList<>();
      JsonArray ids = array(x, "sources");
      for (int j = 0; j < ids.size(); j++) {
        Interaction.Citation source = sources.get(ids.getValue(j) instanceof String s ? s : "");
        if (source == null) {
          throw invalid(at + "/sources/" + j + " names no listed source");
        }
        cited.add(source);
      }
      if (cited.isEmpty()) {
        throw invalid(at + " cites no source");
      }
      Interaction interaction = new Interaction(a, b, severity, text(x, "effect", at), text(x, "management", at),
          List.copyOf(cited), null);
      if (interactions.put(InteractionKnowledgeBase.pairKey(a, b), interaction) != null) {
        throw invalid(at + " lists a pair that is already listed");
      }
    }
    return interactions;
  }

  private static String known(Object value, Map<String, String> ingredients, String at) {
    if (!(value instanceof String rxcui) || !ingredients.containsKey(rxcui)) {
      throw invalid(at + " names no listed ingredient");
    }
    return rxcui;
  }

  private static JsonArray array(JsonObject parent, String field) {
    if (!(parent.getValue(field) instanceof JsonArray array)) {
      throw invalid("\"" + field + "\" is not an array");
    }
    return array;
  }

  private static JsonObject object(JsonArray array, int i, String at) {
    if (!(array.getValue(i) instanceof JsonObject object)) {
      throw invalid(at + "/" + i + " is not an object");
    }
    return object;
  }

  private static String text(JsonObject parent, String field, String at) {
    if (!(parent.getValue(field) instanceof String s) || s.isBlank()) {
      throw invalid(at + "/" + field + " is missing or blank");
    }
    return s;
  }

  private static String code(JsonObject parent, String field, String at) {
    String code = text(parent, field, at);
    if (!code.matches(RXCUI)) {
      throw invalid(at + "/" + field + " is not an RxNorm code");
    }
    return code;
  }

  private static IllegalStateException invalid(String why) {
    return new IllegalStateException("the interaction knowledge base is invalid: " + why);
  }
}
