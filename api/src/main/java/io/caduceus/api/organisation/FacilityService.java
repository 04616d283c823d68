package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
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
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Facilities and their departments: the tenant admin manages them, every member reads them. */
public final class FacilityService {

  private final TenantDb db;
  private final Cursors cursors;
  private final OrganisationRepository repository = new OrganisationRepository();

  public FacilityService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
  }

  /** Opens a facility from a validated {@code FacilityCreate}. */
  public Future<Facility> create(TenantContext ctx, JsonObject sent) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .map(v -> zone(sent.getString("timeZone")))
        .compose(zone -> db.inTenant(ctx, conn -> repository.insertFacility(conn, ctx, sent.getString("name"),
            sent.getJsonObject("address", new JsonObject()), zone)))
        .recover(FacilityService::nameTaken);
  }

  /** One facility. */
  public Future<Facility> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> db.once(ctx, conn -> repository.facility(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such facility")));
  }

  /** Changes the fields of a validated {@code FacilityUpdate} if {@code version} is current. */
  public Future<Facility> update(TenantContext ctx, UUID id, int version, JsonObject sent) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.facility(conn, id).compose(found -> {
          Facility f = found.orElseThrow(() -> new NotFound("no such facility"));
          if (f.version() != version) {
            throw new PreconditionFailed("the facility has changed since you read it");
          }
          String zone = sent.containsKey("timeZone") ? zone(sent.getString("timeZone")) : f.timeZone();
          return repository.updateFacility(conn, id, version, sent.getString("name", f.name()),
              sent.getJsonObject("address", f.address()), zone);
        })))
        .map(updated -> updated.orElseThrow(() -> new PreconditionFailed("the facility has changed")))
        .recover(FacilityService::nameTaken);
  }

  /** Closes the facility; a closed one is answered as it is. */
  public Future<Facility> close(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.closeFacility(conn, id)
            .compose(closed -> closed.isPresent() ? Future.succeededFuture(closed) : repository.facility(conn, id))))
        .map(found -> found.orElseThrow(() -> new NotFound("no such facility")));
  }

  /** One page of facilities in name order. */
  public Future<Page<Facility>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.TENANT_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "facilities", "", cursor);
      return db.once(ctx, conn -> repository.facilities(conn, after == null ? null : after.getString("k"),
              after == null ? null : UUID.fromString(after.getString("id")), limit + 1))
          .map(found -> Page.of(found, limit, last -> cursors.seal(ctx, "facilities", "", new JsonObject()
              .put("k", last.name().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
    });
  }

  /** One page of a FHIR Location search, in the listing's name order; the same permission as the listing. */
  public Future<Page<Facility>> search(TenantContext ctx, FacilitySearch q, String cursor) {
    return Access.check(ctx, Permission.TENANT_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, "facilities", q.fingerprint(), cursor);
      return db.once(ctx, conn -> repository.searchFacilities(conn, q, after == null ? null : after.getString("k"),
              after == null ? null : UUID.fromString(after.getString("id")), q.limit() + 1))
          .map(found -> Page.of(found, q.limit(), last -> cursors.seal(ctx, "facilities", q.fingerprint(),
              new JsonObject().put("k", last.name().toLowerCase(Locale.ROOT)).put("id", last.id().toString()))));
    });
  }

  /** How many facilities a FHIR Location search matches (as {@link #search} would list them). */
  public Future<Integer> count(TenantContext ctx, FacilitySearch q) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> db.once(ctx, conn -> repository.countFacilities(conn, q)));
  }

  /** Adds a department or service line from a validated {@code DepartmentCreate}. */
  public Future<Department> createDepartment(TenantContext ctx, UUID facilityId, JsonObject sent) {
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.facility(conn, facilityId).compose(found -> {
          found.orElseThrow(() -> new NotFound("no such facility"));
          return repository.insertDepartment(conn, ctx, facilityId, sent.getString("name"),
              sent.getString("kind", "department"));
        })))
        .recover(failure -> ConstraintViolation.of(failure, "department_name")
            ? Future.failedFuture(new Conflict("the facility already has a department of this name"))
            : Future.failedFuture(failure));
  }

  /** The facility's departments and service lines. */
  public Future<List<Department>> departments(TenantContext ctx, UUID facilityId) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> db.inTenant(ctx, conn -> repository.facility(conn, facilityId).compose(found -> {
          found.orElseThrow(() -> new NotFound("no such facility"));
          return repository.departments(conn, facilityId);
        })));
  }

  /** An IANA zone id as sent, or null; anything else (an offset, a typo) is refused. */
  static String zone(String sent) {
    if (sent != null && !ZoneId.getAvailableZoneIds().contains(sent)) {
      throw new Invalid("/timeZone", "is not an IANA time zone");
    }
    return sent;
  }

  private static <T> Future<T> nameTaken(Throwable failure) {
    return ConstraintViolation.of(failure, "facility_name")
        ? Future.failedFuture(new Conflict("the tenant already has a facility of this name"))
        : Future.failedFuture(failure);
  }
}
