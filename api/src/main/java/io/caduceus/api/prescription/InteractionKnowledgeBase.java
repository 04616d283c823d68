package io.caduceus.api.prescription;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The curated drug-drug interaction knowledge base shipped in {@code kb/interactions.json}: ingredients, products
 * (clinical drugs mapped to their ingredients) and interactions between ingredient pairs, each citing its sources.
 * It is read and checked once, at start-up, off the event loop; afterwards it only answers lookups from memory.
 */
public final class InteractionKnowledgeBase {

  /** The classpath location of the shipped file. */
  public static final String RESOURCE = "/kb/interactions.json";

  private final String name;
  private final String version;
  private final Map<String, String> ingredients;
  private final Map<String, List<String>> products;
  private final Map<String, Interaction> interactions;

  InteractionKnowledgeBase(String name, String version, Map<String, String> ingredients,
                           Map<String, List<String>> products, Map<String, Interaction> interactions) {
    this.name = name;
    this.version = version;
    this.ingredients = Map.copyOf(ingredients);
    this.products = Map.copyOf(products);
    this.interactions = Map.copyOf(interactions);
  }

  /** Reads and checks the shipped file; blocking, so call it on a worker. Fails if the file is invalid. */
  public static InteractionKnowledgeBase shipped() {
    try (InputStream in = InteractionKnowledgeBase.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the interaction knowledge base " + RESOURCE + " is not on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Parses and checks a knowledge base document: every interaction, product and source reference must resolve,
   * or this fails with {@link IllegalStateException} naming the first problem.
   */
  public static InteractionKnowledgeBase parse(String json) {
    return new KnowledgeBaseParser(json).parse();
  }

  /** The name of the knowledge base. */
  public String name() {
    return name;
  }

  /** Its release, {@code YYYY.MM}. */
  public String version() {
    return version;
  }

  /**
   * The ingredients of a medication coded {@code rxnorm}: a product's ingredients, or the code itself when it is an
   * ingredient; empty when the knowledge base does not know the code.
   */
  public Optional<List<String>> ingredientsOf(String rxnorm) {
    List<String> product = products.get(rxnorm);
    if (product != null) {
      return Optional.of(product);
    }
    return ingredients.containsKey(rxnorm) ? Optional.of(List.of(rxnorm)) : Optional.empty();
  }

  /** The RxNorm name of an ingredient, or {@code "rxcui <code>"} when the knowledge base does not know it. */
  public String ingredientName(String rxcui) {
    return ingredients.getOrDefault(rxcui, "rxcui " + rxcui);
  }

  /** The interaction between two ingredients, in either order, if the knowledge base lists one. */
  public Optional<Interaction> between(String a, String b) {
    return Optional.ofNullable(interactions.get(pairKey(a, b)));
  }

  /** The order-independent key of an ingredient pair: the lower code first. */
  static String pairKey(String a, String b) {
    return a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a;
  }
}
