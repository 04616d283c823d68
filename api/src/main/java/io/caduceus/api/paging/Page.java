package io.caduceus.api.paging;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Function;

/** One page of a listing and the cursor to the next one (null at the end). */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * A page from up to {@code limit + 1} fetched items: the first {@code limit}, and, when there were more, a cursor
   * to the position after the last of them.
   */
  public static <T> Page<T> of(List<T> fetched, int limit, Function<T, String> cursorAfter) {
    if (fetched.size() <= limit) {
      return new Page<>(List.copyOf(fetched), null);
    }
    List<T> items = List.copyOf(fetched.subList(0, limit));
    return new Page<>(items, cursorAfter.apply(items.get(limit - 1)));
  }

  /** The same page with each item mapped. */
  public <R> Page<R> map(Function<T, R> item) {
    return new Page<>(items.stream().map(item).toList(), nextCursor);
  }

  /** The contract's page shape, mapping each item. */
  public JsonObject toJson(Function<T, JsonObject> item) {
    JsonArray array = new JsonArray();
    items.forEach(i -> array.add(item.apply(i)));
    return new JsonObject().put("items", array).put("nextCursor", nextCursor);
  }
}
