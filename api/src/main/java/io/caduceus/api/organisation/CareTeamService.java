package io.caduceus.api.organisation;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.ConstraintViolation;
import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/**
 * Care teams and the patients on them. The tenant admin forms teams; whoever may write a patient's demographics
 * puts a patient they can see on a team or takes them off; every member reads teams.
 */
public final class CareTeamService {

  private final TenantDb db;
  private final OrganisationRepository repository = new OrganisationRepository();

  public CareTeamService(TenantDb db) {
    this.db = db;
  }

  /** Forms a team from a validated {@code CareTeamCreate}; a named facility must be the tenant's. */
  public Future<CareTeam> create(TenantContext ctx, JsonObject sent) {
    UUID facility = sent.getString("facilityId") == null ? null : UUID.fromString(sent.getString("facilityId"));
    return Access.check(ctx, Permission.TENANT_SETTINGS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> (facility == null ? Future.succeededFuture(true)
            : repository.facility(conn, facility).map(f -> f.isPresent())).compose(known -> {
              if (!known) {
                throw new NotFound("no such facility");
              }
              return repository.insertCareTeam(conn, ctx, sent.getString("name"), facility,
                  sent.getString("description"));
            })))
        .recover(failure -> ConstraintViolation.of(failure, "care_team_name")
            ? Future.failedFuture(new Conflict("the tenant already has a care team of this name"))
            : Future.failedFuture(failure));
  }

  /** One team with its staff members. */
  public Future<CareTeam> get(TenantContext ctx, UUID id) {
    return Access.check(ctx, Permission.TENANT_READ)
        .compose(v -> db.inTenant(ctx, conn -> repository.careTeam(conn, id)))
        .map(found -> found.orElseThrow(() -> new NotFound("no such care team")));
  }

  /** The tenant's teams in name order. */
  public Future<List<CareTeam>> list(TenantContext ctx) {
    return Access.check(ctx, Permission.TENANT_READ).compose(v -> db.once(ctx, repository::careTeams));
  }

  /** Puts a patient the caller sees on the team ({@code on}) or takes them off. */
  public Future<Void> patient(TenantContext ctx, UUID teamId, UUID patientId, boolean on) {
    ctx.audit().patient(patientId);
    return Access.check(ctx, Permission.PATIENT_DEMOGRAPHICS_WRITE)
        .compose(v -> db.inTenant(ctx, conn -> repository.patientVisible(conn, patientId).compose(visible -> {
          if (!visible) {
            throw new NotFound("no such patient");
          }
          return repository.careTeam(conn, teamId);
        }).compose(team -> {
          team.orElseThrow(() -> new NotFound("no such care team"));
          return repository.linkCareTeamPatient(conn, ctx, teamId, patientId, on);
        })));
  }

  /** The teams a patient the caller sees is on. */
  public Future<List<CareTeam>> ofPatient(TenantContext ctx, UUID patientId) {
    ctx.audit().patient(patientId);
    return Access.check(ctx, Permission.PATIENT_READ)
        .compose(v -> db.inTenant(ctx, conn -> repository.patientVisible(conn, patientId).compose(visible -> {
          if (!visible) {
            throw new NotFound("no such patient");
          }
          return repository.patientCareTeams(conn, patientId);
        })));
  }
}
