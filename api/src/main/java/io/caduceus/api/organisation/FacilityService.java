package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.ZoneId;
import java.util.Locale;
import java.util.UUID;

/**
 * Facilities and their departments: who holds {@code organisation.manage} opens, changes and closes them, who holds
 * {@code organisation.read} (every member's base role) reads them.
 */
public final class FacilityService {

  private final TenantDb db;
  private final GroupPages pages;
  private final Cursors cursors;
  private final OrganisationRepository repository = new OrganisationRepository();

  public FacilityService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.pages = new GroupPages(db, cursors);
    this.cursors = cursors;
  }

  /** Opens a facility from a validated {@code FacilityCreate}. */
  public Future<Facility> create(TenantContext ctx, JsonObject sent) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .map(v -> zone(sent.getString("timeZone")))
        .compose(zone -> db.inTenant(ctx, conn -> repository.insertFacility(conn, ctx, sent.getString("name"),
            sent.getJsonObject("address", new JsonObject()), zone)))
        .recover(FacilityService::facilityNameTaken);
  }

  /** One facility. */
  public Future<Facility> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> db.once(ctx, conn -> repository.facility(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such facility")));
  }

  /** Changes the fields of a validated {@code FacilityUpdate} if {@code version} is current. */
  public Future<Facility> update(TenantContext ctx, UUID id, int version, JsonObject sent) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.facility(conn, id).compose(found -> {
          Facility f = GroupChanges.current(found, version, "facility");
          String zone = sent.containsKey("timeZone") ? zone(sent.getString("timeZone")) : f.timeZone();
          return repository.updateFacility(conn, id, version, sent.getString("name", f.name()),
              sent.getJsonObject("address", f.address()), zone);
        })))
        .map(updated -> updated.orElseThrow(() -> new PreconditionFailed("the facility has changed")))
        .recover(FacilityService::facilityNameTaken);
  }

  /** Closes the facility; a closed one is answered as it is. */
  public Future<Facility> close(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> GroupChanges.closed(GroupTable.FACILITY.close(conn, id, null),
            () -> repository.facility(conn, id))))
        .map(found -> found.orElseThrow(() -> new NotFound("no such facility")));
  }

  /** One page of facilities in name order. */
  public Future<Page<Facility>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> pages.page(ctx, GroupTable.FACILITY.pages, null, limit, cursor));
  }

  /** One page of a FHIR Location search, in the listing's name order; the same permission as the listing. */
  public Future<Page<Facility>> search(TenantContext ctx, FacilitySearch q, String cursor) {
    return Access.check(ctx, Permission.ORGANISATION_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "facilities", q.fingerprint(), cursor);
      return db.once(ctx, conn -> repository.searchFacilities(conn, q, after == null ? null : after.getString("k"),
              after == null ? null : UUID.fromString(after.getString("id")), q.limit() + 1))
          .map(found -> Page.of(found, q.limit(), last -> cursors.seal(ctx, "facilities", q.fingerprint(),
              new JsonObject().put("k", last.name().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
    });
  }

  /** How many facilities a FHIR Location search matches (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, FacilitySearch q) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> db.once(ctx, conn -> repository.countFacilities(conn, q)));
  }

  /** Adds a department or service line from a validated {@code DepartmentCreate}. */
  public Future<Department> createDepartment(TenantContext ctx, UUID facilityId, JsonObject sent) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.facility(conn, facilityId).compose(found -> {
          found.orElseThrow(() -> new NotFound("no such facility"));
          return repository.insertDepartment(conn, ctx, facilityId, sent.getString("name"),
              sent.getString("kind", "department"));
        })))
        .recover(FacilityService::departmentNameTaken);
  }

  /** One department of the facility. */
  public Future<Department> department(TenantContext ctx, UUID facilityId, UUID id) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> db.once(ctx, conn -> repository.department(conn, facilityId, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such department")));
  }

  /** Changes the fields of a validated {@code DepartmentUpdate} if {@code version} is current. */
  public Future<Department> updateDepartment(TenantContext ctx, UUID facilityId, UUID id, int version,
                                             JsonObject sent) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.department(conn, facilityId, id).compose(found -> {
          Department d = GroupChanges.current(found, version, "department");
          return repository.updateDepartment(conn, id, version, sent.getString("name", d.name()),
              sent.getString("kind", d.kind()));
        })))
        .map(updated -> updated.orElseThrow(() -> new PreconditionFailed("the department has changed")))
        .recover(FacilityService::departmentNameTaken);
  }

  /**
   * Closes the department: it keeps its members, who no longer see its facility's patients through it (region V32);
   * a closed one is answered as it is.
   */
  public Future<Department> closeDepartment(TenantContext ctx, UUID facilityId, UUID id) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> GroupChanges.closed(
            GroupTable.DEPARTMENT.close(conn, id, facilityId), () -> repository.department(conn, facilityId, id))))
        .map(found -> found.orElseThrow(() -> new NotFound("no such department")));
  }

  /** One page of the facility's departments and service lines in name order. */
  public Future<Page<Department>> departments(TenantContext ctx, UUID facilityId, int limit, String cursor) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> db.once(ctx, conn -> repository.facility(conn, facilityId)))
        .compose(found -> {
          found.orElseThrow(() -> new NotFound("no such facility"));
          return pages.page(ctx, GroupTable.DEPARTMENT.pages, facilityId, limit, cursor);
        });
  }

  /** An IANA zone id as sent, or null; anything else (an offset, a typo) is refused. */
  static String zone(String sent) {
    if (sent != null && !ZoneId.getAvailableZoneIds().contains(sent)) {
      throw new Invalid("/timeZone", "is not an IANA time zone");
    }
    return sent;
  }

  private static <T> Future<T> facilityNameTaken(Throwable failure) {
    return GroupChanges.nameTaken(failure, "facility_name", "the tenant already has a facility of this name");
  }

  private static <T> Future<T> departmentNameTaken(Throwable failure) {
    return GroupChanges.nameTaken(failure, "department_name", "the facility already has a department of this name");
  }
}
