package io.caduceus.api.encounter;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Forbidden;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Position;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.api.sql.Rows;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.Timestamps;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Encounter entries read one by one rather than with their encounter (as FHIR reads them): with the permissions and
 * projection of {@code GET /v1/encounters/{id}}: vitals for clinical readers, diagnoses and procedures for them and
 * billing, a patient's own only once the encounter is signed.
 */
public final class ChartEntryService {

  private final TenantDb db;

  public ChartEntryService(TenantDb db) {
    this.db = db;
  }

  /** Whether the caller may read this section at all (what the encounter's projection would show them). */
  public static boolean mayRead(TenantContext ctx, ChartSection section) {
    boolean clinical = Access.has(ctx, Permission.PATIENT_CLINICAL_READ);
    return Access.has(ctx, Permission.ENCOUNTER_READ)
        && (clinical || section != ChartSection.VITALS && Access.has(ctx, Permission.BILLING));
  }

  /** One entry; NotFound when there is none the caller may see. */
  public Future<ChartEntry> get(TenantContext ctx, ChartSection section, UUID id) {
    return check(ctx, section)
        .compose(v -> db.once(ctx, conn -> conn.preparedQuery(section.find()).execute(Tuple.of(id))))
        .map(rows -> Rows.optional(rows, ChartEntry::fromRow)
            .filter(e -> !ctx.actsAsPatient() || e.encounterStatus() == EncounterStatus.SIGNED)
            .orElseThrow(() -> new NotFound("no such entry")))
        .onSuccess(e -> ctx.audit().patient(e.patientId()));
  }

  /**
   * The versions of a vital sign {@link #get} read, newest first ({@link ChartEntrySql#VITAL_VERSIONS}); a patient
   * acting for themself sees the versions of a signed encounter only, as they see its current one.
   */
  public Future<List<ChartEntry>> vitalVersions(TenantContext ctx, ChartEntry current, VersionRange range) {
    return check(ctx, ChartSection.VITALS)
        .compose(v -> db.once(ctx, conn -> conn.preparedQuery(ChartEntrySql.VITAL_VERSIONS).execute(Tuple.from(
            new Object[] {current.id(), current.encounterId(), current.diastolicId(), range.below(),
                range.since() == null ? null : Timestamps.utc(range.since()), range.limit(),
                ctx.actsAsPatient() ? EncounterStatus.SIGNED.wire() : null}))))
        .map(rows -> Rows.list(rows, ChartEntry::fromRow));
  }

  /**
   * Up to {@code limit} entries matching the filter, newest first, after the position; the caller records the patients
   * of the page it returns (it reads one more than it shows).
   */
  public Future<List<ChartEntry>> search(TenantContext ctx, ChartSection section, ChartFilter filter, Position after,
                                         int limit) {
    List<Object> values = values(ctx, filter);
    return check(ctx, section)
        .compose(v -> db.once(ctx, conn -> section.listing().page(conn, values, after.at(), after.id(), limit)))
        .map(rows -> Rows.list(rows, ChartEntry::fromRow));
  }

  /** How many entries of a section {@link #search} would list under the filter. */
  public Future<Integer> count(TenantContext ctx, ChartSection section, ChartFilter filter) {
    List<Object> values = values(ctx, filter);
    return check(ctx, section).compose(v -> db.once(ctx, conn -> section.listing().count(conn, values)));
  }

  /** The filter's values, and for a patient only what signed encounters hold. */
  private static List<Object> values(TenantContext ctx, ChartFilter filter) {
    List<Object> values = new ArrayList<>(filter.values());
    values.add(ctx.actsAsPatient() ? EncounterStatus.SIGNED.wire() : null);
    return values;
  }

  private static Future<Void> check(TenantContext ctx, ChartSection section) {
    return Access.check(ctx, Permission.ENCOUNTER_READ).compose(v -> mayRead(ctx, section)
        ? Future.<Void>succeededFuture()
        : Future.failedFuture(new Forbidden("your role may not read this part of a chart")));
  }
}
