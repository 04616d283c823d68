package io.caduceus.api.connector;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Position;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Imported Conditions, Observations and MedicationRequests one by one and in keyset pages, as the FHIR facade reads
 * them: clinical data, so only for a caller who may read a patient's clinical record (as
 * {@code GET /v1/patients/{id}/imported-records}); a patient (or a patient-scoped SMART token) finds only their own
 * through row-level security. A read records its patient in the audit; a search's caller records the patients of
 * the page it returns.
 */
public final class ImportedResourceService {

  private final TenantDb db;

  public ImportedResourceService(TenantDb db) {
    this.db = db;
  }

  /** Whether the caller may read imported records at all (a role that sees no clinical data sees none of them). */
  public static boolean mayRead(TenantContext ctx) {
    return Access.has(ctx, Permission.PATIENT_CLINICAL_READ);
  }

  /** One imported record of the type; NotFound when there is none the caller may see. */
  public Future<ImportedResource> get(TenantContext ctx, String type, UUID id) {
    if (!mayRead(ctx)) {
      return Future.failedFuture(new NotFound("no such " + type));
    }
    return db.once(ctx, conn -> conn.preparedQuery(ImportedResourceSql.FIND).execute(Tuple.of(id, type)))
        .map(rows -> Rows.optional(rows, ImportedResource::fromRow)
            .orElseThrow(() -> new NotFound("no such " + type)))
        .onSuccess(r -> ctx.audit().patient(r.patientId()));
  }

  /** Up to {@code limit} records matching the filter after the position, newest or oldest first; none if not allowed. */
  public Future<List<ImportedResource>> search(TenantContext ctx, ImportedResourceFilter filter, Position after,
                                               int limit, boolean ascending) {
    if (!mayRead(ctx) || filter.matchesNothing()) {
      return Future.succeededFuture(List.of());
    }
    List<Object> values = values(filter);
    return db.once(ctx, conn -> (ascending ? ImportedResourceSql.OLDEST_FIRST : ImportedResourceSql.NEWEST_FIRST)
            .page(conn, values, after.at(), after.id(), limit))
        .map(rows -> Rows.list(rows, ImportedResource::fromRow));
  }

  /** How many records match the filter (as {@link #search} would list them); 0 if not allowed or no filter. */
  public Future<Integer> count(TenantContext ctx, ImportedResourceFilter filter) {
    if (filter == null || !mayRead(ctx) || filter.matchesNothing()) {
      return Future.succeededFuture(0);
    }
    List<Object> values = values(filter);
    return db.once(ctx, conn -> ImportedResourceSql.NEWEST_FIRST.count(conn, values));
  }

  private static List<Object> values(ImportedResourceFilter filter) {
    return Arrays.asList(filter.type(), array(filter.patients(), UUID[]::new),
        array(filter.codings(), String[]::new), array(filter.categories(), String[]::new),
        array(filter.statuses(), String[]::new), array(filter.intents(), String[]::new),
        range(filter.dateFrom(), filter.dateTo()), range(filter.updatedFrom(), filter.updatedTo()));
  }

  private static <T> T[] array(List<? extends T> values, java.util.function.IntFunction<T[]> make) {
    return values == null ? null : values.toArray(make);
  }

  /** A half-open range as {@code tstzrange} text (a parameter, never SQL), or null when both ends are open. */
  private static String range(Instant from, Instant to) {
    if (from == null && to == null) {
      return null;
    }
    return "[" + (from == null ? "" : from) + "," + (to == null ? "" : to) + ")";
  }
}
