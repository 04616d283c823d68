package io.caduceus.api.organisation;

import io.caduceus.api.http.ETags;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.http.Reply;
import io.caduceus.api.http.Requests;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** The organisation's operations: facilities, departments, care teams, staff groups, patients' facilities, policy. */
public final class OrganisationHandlers {

  private final FacilityService facilities;
  private final CareTeamService careTeams;
  private final StaffGroupService groups;
  private final PatientFacilityService patientFacilities;
  private final AccessPolicyService policy;
  private final Idempotency idempotency;

  public OrganisationHandlers(FacilityService facilities, CareTeamService careTeams, StaffGroupService groups,
                              PatientFacilityService patientFacilities, AccessPolicyService policy,
                              Idempotency idempotency) {
    this.facilities = facilities;
    this.careTeams = careTeams;
    this.groups = groups;
    this.patientFacilities = patientFacilities;
    this.policy = policy;
    this.idempotency = idempotency;
  }

  /** Binds this group's operations. */
  public void bind(Operations ops) {
    ops.bind("createFacility", rc -> idempotency.inTransaction(rc, Requests.tenant(rc), joined -> facilities
        .create(joined, Requests.body(rc)).map(f -> Reply.created("/v1/facilities/" + f.id(), f.toJson(),
            f.version()))));
    ops.bind("listFacilities", rc -> facilities.list(Requests.tenant(rc), limit(rc),
        cursor(rc)).map(page -> Reply.ok(page.toJson(Facility::toJson))));
    ops.bind("getFacility", rc -> facilities.get(Requests.tenant(rc), facility(rc))
        .map(f -> Reply.ok(f.toJson(), f.version())));
    ops.bind("updateFacility", rc -> facilities.update(Requests.tenant(rc), facility(rc), ETags.required(rc),
        Requests.body(rc)).map(f -> Reply.ok(f.toJson(), f.version())));
    ops.bind("closeFacility", rc -> facilities.close(Requests.tenant(rc), facility(rc))
        .map(f -> Reply.ok(f.toJson(), f.version())));
    bindDepartments(ops);
    bindCareTeams(ops);
    ops.bind("listStaffGroups", rc -> groups.of(Requests.tenant(rc), Requests.pathUuid(rc, "userId"), limit(rc),
        cursor(rc)).map(page -> Reply.ok(page.toJson(StaffGroup::toJson))));
    ops.bind("addStaffGroup", rc -> groups.place(Requests.tenant(rc), Requests.pathUuid(rc, "userId"),
        Requests.pathUuid(rc, "groupId"), true).map(v -> Reply.noContent()));
    ops.bind("removeStaffGroup", rc -> groups.place(Requests.tenant(rc), Requests.pathUuid(rc, "userId"),
        Requests.pathUuid(rc, "groupId"), false).map(v -> Reply.noContent()));
    ops.bind("listMyGroups", rc -> groups.mine(Requests.tenant(rc)).map(Reply::ok));
    ops.bind("setActiveGroup", rc -> groups.choose(Requests.tenant(rc),
        UUID.fromString(Requests.body(rc).getString("groupId"))).map(Reply::ok));
    ops.bind("listPatientFacilities", rc -> patientFacilities.of(Requests.tenant(rc), patient(rc), limit(rc),
        cursor(rc)).map(page -> Reply.ok(page.toJson(Facility::toJson))));
    ops.bind("addPatientFacility", rc -> patientFacilities.link(Requests.tenant(rc), patient(rc), facility(rc), true)
        .map(v -> Reply.noContent()));
    ops.bind("removePatientFacility", rc -> patientFacilities.link(Requests.tenant(rc), patient(rc), facility(rc),
        false).map(v -> Reply.noContent()));
    ops.bind("getAccessPolicy", rc -> policy.get(Requests.tenant(rc)).map(p -> Reply.ok(p.toJson(), p.version())));
    ops.bind("updateAccessPolicy", rc -> policy.update(Requests.tenant(rc), ETags.required(rc), Requests.body(rc))
        .map(p -> Reply.ok(p.toJson(), p.version())));
  }

  private void bindDepartments(Operations ops) {
    ops.bind("createDepartment", rc -> idempotency.inTransaction(rc, Requests.tenant(rc), joined -> facilities
        .createDepartment(joined, facility(rc), Requests.body(rc)).map(d -> Reply.created("/v1/facilities/"
            + d.facilityId() + "/departments/" + d.id(), d.toJson(), d.version()))));
    ops.bind("listDepartments", rc -> facilities.departments(Requests.tenant(rc), facility(rc),
        limit(rc), cursor(rc))
        .map(page -> Reply.ok(page.toJson(Department::toJson))));
    ops.bind("getDepartment", rc -> facilities.department(Requests.tenant(rc), facility(rc), department(rc))
        .map(d -> Reply.ok(d.toJson(), d.version())));
    ops.bind("updateDepartment", rc -> facilities.updateDepartment(Requests.tenant(rc), facility(rc),
        department(rc), ETags.required(rc), Requests.body(rc)).map(d -> Reply.ok(d.toJson(), d.version())));
    ops.bind("closeDepartment", rc -> facilities.closeDepartment(Requests.tenant(rc), facility(rc), department(rc))
        .map(d -> Reply.ok(d.toJson(), d.version())));
  }

  private void bindCareTeams(Operations ops) {
    ops.bind("createCareTeam", rc -> idempotency.inTransaction(rc, Requests.tenant(rc), joined -> careTeams
        .create(joined, Requests.body(rc)).map(t -> Reply.created("/v1/care-teams/" + t.id(), t.toJson(),
            t.version()))));
    ops.bind("listCareTeams", rc -> careTeams.list(Requests.tenant(rc), limit(rc),
        cursor(rc)).map(page -> Reply.ok(page.toJson(CareTeam::toJson))));
    ops.bind("getCareTeam", rc -> careTeams.get(Requests.tenant(rc), team(rc))
        .map(t -> Reply.ok(t.toJson(), t.version())));
    ops.bind("updateCareTeam", rc -> careTeams.update(Requests.tenant(rc), team(rc), ETags.required(rc),
        Requests.body(rc)).map(t -> Reply.ok(t.toJson(), t.version())));
    ops.bind("closeCareTeam", rc -> careTeams.close(Requests.tenant(rc), team(rc))
        .map(t -> Reply.ok(t.toJson(), t.version())));
    ops.bind("listCareTeamPatients", rc -> careTeams.patients(Requests.tenant(rc), team(rc),
        limit(rc), cursor(rc))
        .map(page -> Reply.ok(page.toJson(CareTeamPatient::toJson))));
    ops.bind("addCareTeamPatient", rc -> careTeams.patient(Requests.tenant(rc), team(rc), patient(rc), true)
        .map(v -> Reply.noContent()));
    ops.bind("removeCareTeamPatient", rc -> careTeams.patient(Requests.tenant(rc), team(rc), patient(rc), false)
        .map(v -> Reply.noContent()));
    ops.bind("listPatientCareTeams", rc -> careTeams.ofPatient(Requests.tenant(rc), patient(rc), limit(rc),
        cursor(rc)).map(page -> Reply.ok(page.toJson(CareTeam::toJson))));
  }

  private static int limit(RoutingContext rc) {
    return Requests.queryInt(rc, "limit", 20);
  }

  private static String cursor(RoutingContext rc) {
    return Requests.queryString(rc, "cursor");
  }

  private static UUID facility(RoutingContext rc) {
    return Requests.pathUuid(rc, "facilityId");
  }

  private static UUID department(RoutingContext rc) {
    return Requests.pathUuid(rc, "departmentId");
  }

  private static UUID team(RoutingContext rc) {
    return Requests.pathUuid(rc, "careTeamId");
  }

  private static UUID patient(RoutingContext rc) {
    return Requests.pathUuid(rc, "patientId");
  }
}
