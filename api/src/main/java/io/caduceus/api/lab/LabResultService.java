package io.caduceus.api.lab;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.encounter.ChartFilter;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Position;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.UUID;

/**
 * Lab results read one by one rather than with their order (as FHIR reads them), with the permission of
 * {@code GET /v1/lab-orders/{id}}; a patient sees only their own (row-level security).
 */
public final class LabResultService {

  private final TenantDb db;

  public LabResultService(TenantDb db) {
    this.db = db;
  }

  /** One result; NotFound when there is none the caller may see. */
  public Future<FiledResult> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.LAB_ORDER_READ)
        .compose(v -> db.once(ctx, conn -> conn.preparedQuery(LabResultSql.FIND).execute(Tuple.of(id))))
        .map(rows -> Rows.optional(rows, FiledResult::fromRow).orElseThrow(() -> new NotFound("no such result")))
        .onSuccess(r -> ctx.audit().patient(r.patientId()));
  }

  /**
   * Up to {@code limit} results matching the filter, newest first, after the position; the caller records the
   * patients of the page it returns.
   */
  public Future<List<FiledResult>> search(TenantContext ctx, ChartFilter filter, Position after, int limit) {
    return Access.check(ctx, Permission.LAB_ORDER_READ)
        .compose(v -> db.once(ctx, conn -> LabResultSql.LIST.page(conn, filter.values(), after.at(), after.id(),
            limit)))
        .map(rows -> Rows.list(rows, FiledResult::fromRow));
  }

  /** How many filed results {@link #search} would list under the filter. */
  public Future<Integer> count(TenantContext ctx, ChartFilter filter) {
    return Access.check(ctx, Permission.LAB_ORDER_READ)
        .compose(v -> db.once(ctx, conn -> LabResultSql.LIST.count(conn, filter.values())));
  }
}
