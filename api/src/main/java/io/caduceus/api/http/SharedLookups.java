package io.caduceus.api.http;

import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.Validator;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes cached validators share one copy of the contract's schema lookup.
 *
 * <p>vertx-json-schema 5.0.8's validator copies its repository's whole lookup map when it is built (every pointer
 * of every schema in the contract: about 9,600 entries, some 0.4 MB) and afterwards only reads it. With one cached
 * validator per parameter and body schema ({@link ValidatorCache}), a node that has served a few hundred distinct
 * operations held that many copies: a heap of 160 MB ran out after the README's walk. A validator whose copy equals
 * one already held is given that one instead (equal contents, read only, so validation is unchanged); a validator
 * whose construction added entries of its own keeps its copy. Without the expected field, nothing is shared.
 */
final class SharedLookups {

  private static final Field LOOKUP = lookupField();
  private final List<Map<String, JsonSchema>> held = new ArrayList<>();

  /** The validator, its lookup replaced by an equal one already held when there is one. */
  synchronized Validator share(Validator validator) {
    if (LOOKUP == null || !LOOKUP.getDeclaringClass().isInstance(validator)) {
      return validator;
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, JsonSchema> own = (Map<String, JsonSchema>) LOOKUP.get(validator);
      for (Map<String, JsonSchema> same : held) {
        if (same.size() == own.size() && same.equals(own)) {
          LOOKUP.set(validator, same);
          return validator;
        }
      }
      held.add(own);
    } catch (IllegalAccessException e) {
      // Left as built: a copy of its own is correct, only larger.
    }
    return validator;
  }

  /** How many distinct lookups the validators share (for tests). */
  synchronized int distinct() {
    return held.size();
  }

  private static Field lookupField() {
    try {
      Field field = Class.forName("io.vertx.json.schema.impl.SchemaValidatorImpl").getDeclaredField("lookup");
      field.setAccessible(true);
      return field;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
