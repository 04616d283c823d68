package io.caduceus.routing;

/**
 * The keyset cursor of a listing ordered by a timestamp and an id, written so that PostgreSQL starts the index walk
 * at the cursor in every plan.
 *
 * <p>A statement is prepared once; after five executions PostgreSQL may keep its generic plan, which cannot fold a
 * "{@code $n IS NULL OR (at, id) > ($n, $m)}" branch: the keyset becomes a filter and every page walks the index
 * from the tenant's first row. Here the first page (the timestamp parameter null) gets a bound below (or above)
 * every row instead, so the comparison always holds and is an {@code Index Cond}. The bound is a CASE, not
 * COALESCE: under row-level security only leakproof quals may drive an index ahead of the tenant policy, and
 * PostgreSQL counts COALESCE as leaky and CASE over parameters as safe. Both bounds follow the timestamp parameter,
 * so a cursor given means exactly {@code (at, id) > ($n, $m)}, as before. The bound leaves out only a row stamped
 * ±infinity with the lowest (highest) possible id, which no listing has.
 */
public final class Keyset {

  private static final String LOWEST_ID = "'00000000-0000-0000-0000-000000000000'::uuid";
  private static final String HIGHEST_ID = "'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid";

  private Keyset() {
  }

  /**
   * For ascending order: {@code (at, id) > ($atParam, $idParam)}, every row when {@code $atParam} is null. The
   * parameters are numbered as in the statement; they bind a {@code timestamptz} and a {@code uuid}.
   */
  public static String after(String at, String id, int atParam, int idParam) {
    return bound(at, id, ">", atParam, idParam, "'-infinity'::timestamptz", LOWEST_ID);
  }

  /** For descending order: {@code (at, id) < ($atParam, $idParam)}, every row when {@code $atParam} is null. */
  public static String before(String at, String id, int atParam, int idParam) {
    return bound(at, id, "<", atParam, idParam, "'infinity'::timestamptz", HIGHEST_ID);
  }

  private static String bound(String at, String id, String op, int atParam, int idParam, String firstAt,
                              String firstId) {
    String cursor = "$" + atParam + "::timestamptz";
    return "(%s, %s) %s (CASE WHEN %s IS NULL THEN %s ELSE %s END, CASE WHEN %s IS NULL THEN %s ELSE $%d::uuid END)"
        .formatted(at, id, op, cursor, firstAt, cursor, cursor, firstId, idParam);
  }
}
