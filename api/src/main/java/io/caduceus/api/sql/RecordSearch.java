package io.caduceus.api.sql;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static io.caduceus.routing.Timestamps.utc;

/**
 * The filters of a search over one table of patient records (what the FHIR facade's searches ask of a service):
 * any of some patients, any of some statuses, any of some keys (a code, a parent's id), and half-open ranges of
 * the creation and last-change times. A null filter is absent; an empty list matches nothing (a value the table
 * cannot hold, such as a FHIR status it never has, still runs the service's permission check and audit).
 * Each shape of the filters is its own statement ({@link Listing}), oldest first.
 *
 * @param patients  the patients' ids, any of them
 * @param statuses  the stored statuses, any of them
 * @param keys      the values of the table's key column (a {@code String} or {@code UUID} each), any of them
 */
public record RecordSearch(List<UUID> patients, List<String> statuses, List<?> keys, Instant createdFrom,
                           Instant createdTo, Instant updatedFrom, Instant updatedTo) {

  /** No filter: every record the caller may see. */
  public static final RecordSearch ALL = new RecordSearch(null, null, null, null, null, null, null);

  /**
   * The columns a table's search filters, qualified by its alias; {@code key} may be null (no such filter).
   * {@code created} is also the listing's order, with {@code id}.
   */
  public record Columns(String patient, String status, String key, String keyType, String created, String updated,
                        String id) {
  }

  /** The listing of {@code select} (up to its WHERE) under these filters. */
  public static Listing listing(String select, Columns c) {
    List<String> filters = new ArrayList<>(List.of(c.patient() + " = ANY(%s::uuid[])",
        c.status() + " = ANY(%s::text[])"));
    if (c.key() != null) {
      filters.add(c.key() + " = ANY(%s::" + c.keyType() + "[])");
    }
    filters.addAll(List.of(c.created() + " >= %s", c.created() + " < %s", c.updated() + " >= %s",
        c.updated() + " < %s"));
    return new Listing(select, filters, c.created(), c.id(), true);
  }

  /** One page of the listing: the rows after {@code (afterAt, afterId)}, at most {@code limit}. */
  public Future<RowSet<Row>> page(Listing listing, Columns c, SqlConnection conn, Instant afterAt, UUID afterId,
                                  int limit) {
    return listing.page(conn, values(c), afterAt, afterId, limit);
  }

  /** How many rows of the listing match (FHIR's {@code _summary=count}), through the same filters. */
  public Future<Integer> count(Listing listing, Columns c, SqlConnection conn) {
    return listing.count(conn, values(c));
  }

  private List<Object> values(Columns c) {
    List<Object> values = new ArrayList<>(Arrays.asList(
        patients == null ? null : patients.toArray(UUID[]::new),
        statuses == null ? null : statuses.toArray(String[]::new)));
    if (c.key() == null && keys != null) {
      throw new IllegalArgumentException("this table has no key column to filter " + keys + " by");
    }
    if (c.key() != null) {
      values.add(keys == null ? null : "uuid".equals(c.keyType()) ? keys.toArray(UUID[]::new)
          : keys.toArray(String[]::new));
    }
    values.addAll(Arrays.asList(utc(createdFrom), utc(createdTo), utc(updatedFrom), utc(updatedTo)));
    return values;
  }

  /** The filters as a cursor binds them: a cursor of one search is refused by another. */
  public String fingerprint() {
    return toString();
  }
}
