package io.caduceus.api.organisation;

import io.caduceus.api.sql.Rows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The statements every kind of group shares, written once for its table: facilities, departments (within a facility,
 * {@code parent}) and care teams are each named uniquely, versioned, closed the same way and listed in name order.
 * The table and column names are this class's constants, never input; every value is a parameter.
 *
 * @param <T> the record a row maps to
 */
final class GroupTable<T extends GroupTable.Named> {

  /** What a group's record shows of itself: to its listing's keyset, and to a change's If-Match. */
  interface Named extends NameOrder.Listed {

    /** The group's version, as its ETag shows it. */
    int version();
  }

  static final GroupTable<Facility> FACILITY = new GroupTable<>("facilities", "facility",
      OrganisationSql.FACILITY_COLUMNS, null, Facility::fromRow);
  static final GroupTable<Department> DEPARTMENT = new GroupTable<>("departments", "department",
      OrganisationSql.DEPARTMENT_COLUMNS, "facility_id", Department::fromRow);
  static final GroupTable<CareTeam> CARE_TEAM = new GroupTable<>("care-teams", "care_team",
      OrganisationSql.CARE_TEAM_COLUMNS, null, CareTeam::fromRow);

  /** The listing in name order ([parent]). */
  final NameOrder<T> pages;
  private final Function<Row, T> mapper;
  private final boolean nested;
  /** One row by id ($1), within the parent ($2) for a nested kind. */
  private final String find;
  /** Closes an open row by id ($1, within the parent $2); no row when it was closed or is not there. */
  private final String close;

  private GroupTable(String listing, String table, String columns, String parent, Function<Row, T> mapper) {
    // As for practitioners, the key stays a filter for the app role (lower() is not leakproof): a tenant has few
    // groups of each kind, and each page walks the (tenant, [parent,] lower(name), id) index in order.
    this.pages = new NameOrder<>(listing, "SELECT " + columns + " FROM " + table, parent, "name", "id", mapper);
    this.mapper = mapper;
    this.nested = parent != null;
    String within = nested ? " AND " + parent + " = $2" : "";
    this.find = "SELECT " + columns + " FROM " + table + " WHERE id = $1" + within;
    this.close = "UPDATE " + table + " SET status = 'closed', updated_at = now(), version = version + 1"
        + " WHERE id = $1" + within + " AND status = 'active' RETURNING " + columns;
  }

  /** The row of the id ({@code parent} names the facility of a department; null for the other kinds). */
  Future<Optional<T>> find(SqlConnection conn, UUID id, UUID parent) {
    return conn.preparedQuery(find).execute(keyed(id, parent)).map(rows -> Rows.optional(rows, mapper));
  }

  /** Closes an open row; empty if it was closed (or is not the tenant's). */
  Future<Optional<T>> close(SqlConnection conn, UUID id, UUID parent) {
    return conn.preparedQuery(close).execute(keyed(id, parent)).map(rows -> Rows.optional(rows, mapper));
  }

  private Tuple keyed(UUID id, UUID parent) {
    return nested ? Tuple.of(id, parent) : Tuple.of(id);
  }
}
