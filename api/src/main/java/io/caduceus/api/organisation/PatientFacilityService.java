package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/** The facilities a patient is registered at: read with the patient, changed by who may write demographics. */
public final class PatientFacilityService {

  private final TenantDb db;
  private final GroupPages pages;
  private final OrganisationRepository repository = new OrganisationRepository();

  public PatientFacilityService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.pages = new GroupPages(db, cursors);
  }

  /** One page of the facilities of a patient the caller sees, in name order; the cursor is sealed for the patient. */
  public Future<Page<Facility>> of(TenantContext ctx, UUID patientId, int limit, String cursor) {
    ctx.audit().patient(patientId);
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> db.inTenant(ctx, conn -> visible(conn, patientId)
            .compose(x -> pages.page(conn, ctx, OrganisationSql.PATIENT_FACILITIES, patientId, limit, cursor))));
  }

  /** Registers a patient the caller sees at the facility ({@code on}) or ends that registration. */
  public Future<Void> link(TenantContext ctx, UUID patientId, UUID facilityId, boolean on) {
    ctx.audit().patient(patientId);
    return Access.check(ctx, Permission.PATIENT_DEMOGRAPHICS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> visible(conn, patientId)
            .compose(x -> repository.facility(conn, facilityId))
            .compose(f -> {
              f.orElseThrow(() -> new NotFound("no such facility"));
              return repository.linkPatientFacility(conn, ctx, patientId, facilityId, on);
            })));
  }

  /**
   * Registers a patient just created in the same transaction at a facility, before the patient's row is read
   * back: under the scoped access policy a scoped creator sees the new patient only through this link.
   */
  public Future<Void> register(SqlConnection conn, TenantContext ctx, UUID patientId, UUID facilityId) {
    return repository.linkPatientFacility(conn, ctx, patientId, facilityId, true);
  }

  private Future<Void> visible(SqlConnection conn, UUID patientId) {
    return repository.patientVisible(conn, patientId).compose(seen -> seen ? Future.<Void>succeededFuture()
        : Future.failedFuture(new NotFound("no such patient")));
  }
}
