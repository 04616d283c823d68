package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.error.PreconditionFailed;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Page;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;

import java.util.UUID;

/**
 * Care teams and the patients on them. Who holds {@code organisation.manage} forms, changes and closes teams;
 * whoever may write a patient's demographics puts a patient they can see on an open team or takes them off; who
 * holds {@code organisation.read} (every member's base role) reads teams.
 */
public final class CareTeamService {

  private final TenantDb db;
  private final Cursors cursors;
  private final GroupPages pages;
  private final OrganisationRepository repository = new OrganisationRepository();

  public CareTeamService(TenantDb db, Cursors cursors) {
    this.db = db;
    this.cursors = cursors;
    this.pages = new GroupPages(db, cursors);
  }

  /** Forms a team from a validated {@code CareTeamCreate}; a named facility must be the tenant's. */
  public Future<CareTeam> create(TenantContext ctx, JsonObject sent) {
    UUID facility = facilityOf(sent, null);
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> known(conn, facility).compose(x -> repository.insertCareTeam(conn,
            ctx, sent.getString("name"), facility, sent.getString("description")))))
        .recover(CareTeamService::nameTaken);
  }

  /** One team with its staff members. */
  public Future<CareTeam> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> db.inTenant(ctx, conn -> repository.careTeam(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such care team")));
  }

  /** Changes the fields of a validated {@code CareTeamUpdate} if {@code version} is current. */
  public Future<CareTeam> update(TenantContext ctx, UUID id, int version, JsonObject sent) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> repository.careTeam(conn, id).compose(found -> {
          CareTeam team = GroupChanges.current(found, version, "care team");
          UUID facility = facilityOf(sent, team.facilityId());
          return known(conn, facility).compose(x -> repository.updateCareTeam(conn, id, version,
                  sent.getString("name", team.name()),
                  sent.containsKey("description") ? sent.getString("description") : team.description(), facility))
              .compose(updated -> updated.isEmpty() ? Future.succeededFuture(updated)
                  : repository.careTeam(conn, id));
        })))
        .map(updated -> updated.orElseThrow(() -> new PreconditionFailed("the care team has changed")))
        .recover(CareTeamService::nameTaken);
  }

  /**
   * Closes the team: its members and patients stay on it (history), but it puts no one in scope any more
   * (region V32) and takes no new patient; a closed team is answered as it is.
   */
  public Future<CareTeam> close(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.ORGANISATION_MANAGE)
        .compose(v -> db.inTenant(ctx, conn -> GroupTable.CARE_TEAM.close(conn, id, null)
            .compose(closing -> repository.careTeam(conn, id))))
        .map(found -> found.orElseThrow(() -> new NotFound("no such care team")));
  }

  /** One page of the tenant's teams in name order (without their members). */
  public Future<Page<CareTeam>> list(TenantContext ctx, int limit, String cursor) {
    return Access.check(ctx, Permission.ORGANISATION_READ)
        .compose(v -> pages.page(ctx, GroupTable.CARE_TEAM.pages, null, limit, cursor));
  }

  /**
   * One page of the team's patients that the caller sees, in id order; the page's patients are audited. The cursor
   * is sealed for the tenant and the team.
   */
  public Future<Page<CareTeamPatient>> patients(TenantContext ctx, UUID teamId, int limit, String cursor) {
    String listing = "care-team-patients";
    return Access.check(ctx, Permission.PATIENT_READ).compose(v -> {
      JsonObject after = cursor == null ? null : cursors.open(ctx, listing, teamId.toString(), cursor);
      return db.inTenant(ctx, conn -> repository.careTeam(conn, teamId).compose(team -> {
        team.orElseThrow(() -> new NotFound("no such care team"));
        return repository.careTeamPatients(conn, teamId,
            after == null ? null : UUID.fromString(after.getString("id")), limit + 1);
      }).map(found -> {
        // Named before the transaction commits: the request's audit row is written in it.
        ctx.audit().patients(found.stream().limit(limit).map(CareTeamPatient::patientId).toList());
        return found;
      }));
    }).map(found -> Page.of(found, limit, last -> cursors.seal(ctx, listing, teamId.toString(),
        new JsonObject().put("id", last.patientId().toString()))));
  }

  /** Puts a patient the caller sees on an open team ({@code on}) or takes them off. */
  public Future<Void> patient(TenantContext ctx, UUID teamId, UUID patientId, boolean on) {
    ctx.audit().patient(patientId);
    return Access.check(ctx, Permission.PATIENT_DEMOGRAPHICS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.patientVisible(conn, patientId).compose(visible -> {
          if (!visible) {
            throw new NotFound("no such patient");
          }
          return repository.careTeam(conn, teamId);
        }).compose(found -> {
          CareTeam team = found.orElseThrow(() -> new NotFound("no such care team"));
          if (on && !"active".equals(team.status())) {
            throw new Conflict("the care team is closed: it takes no new patients");
          }
          return repository.linkCareTeamPatient(conn, ctx, teamId, patientId, on);
        })));
  }

  /** One page of the teams a patient the caller sees is on, in name order; the cursor is sealed for the patient. */
  public Future<Page<CareTeam>> ofPatient(TenantContext ctx, UUID patientId, int limit, String cursor) {
    ctx.audit().patient(patientId);
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> db.inTenant(ctx, conn -> repository.patientVisible(conn, patientId).compose(visible -> {
          if (!visible) {
            throw new NotFound("no such patient");
          }
          return pages.page(conn, ctx, OrganisationSql.PATIENT_CARE_TEAMS, patientId, limit, cursor);
        })));
  }

  /** The facility a create or update names ({@code facilityId}, null to have none), else {@code current}. */
  private static UUID facilityOf(JsonObject sent, UUID current) {
    if (!sent.containsKey("facilityId")) {
      return current;
    }
    String id = sent.getString("facilityId");
    return id == null ? null : UUID.fromString(id);
  }

  /** Succeeds when no facility is named or the named one is the tenant's; 404 otherwise. */
  private Future<Void> known(SqlConnection conn, UUID facility) {
    return facility == null ? Future.succeededFuture() : repository.facility(conn, facility)
        .compose(f -> f.isPresent() ? Future.<Void>succeededFuture()
            : Future.failedFuture(new NotFound("no such facility")));
  }

  private static <T> Future<T> nameTaken(Throwable failure) {
    return GroupChanges.nameTaken(failure, "care_team_name", "the tenant already has a care team of this name");
  }
}
