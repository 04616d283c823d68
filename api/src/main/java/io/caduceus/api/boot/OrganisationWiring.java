package io.caduceus.api.boot;

import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.http.Operations;
import io.caduceus.api.organisation.AccessPolicyService;
import io.caduceus.api.organisation.CareTeamService;
import io.caduceus.api.organisation.FacilityService;
import io.caduceus.api.organisation.OrganisationHandlers;
import io.caduceus.api.organisation.PatientFacilityService;
import io.caduceus.api.organisation.StaffGroupService;
import io.caduceus.api.roles.AccessChanges;

/** The organisation (issue 15): facilities, departments, care teams, staff groups and the tenant's access policy. */
final class OrganisationWiring {

  final PatientFacilityService patientFacilities;
  final FacilityService facilities;
  final CareTeamService careTeams;
  final StaffGroupService staffGroups;
  private final OrganisationHandlers handlers;

  OrganisationWiring(Shared shared, UserRepository users, AccessChanges accessChanges) {
    this.patientFacilities = new PatientFacilityService(shared.db(), shared.cursors());
    this.facilities = new FacilityService(shared.db(), shared.cursors());
    this.careTeams = new CareTeamService(shared.db(), shared.cursors());
    this.staffGroups = new StaffGroupService(shared.db(), shared.cursors(), users);
    this.handlers = new OrganisationHandlers(facilities, careTeams, staffGroups, patientFacilities,
        new AccessPolicyService(shared.db(), accessChanges), shared.idempotency());
  }

  /** Binds the organisation's operations. */
  void bind(Operations ops) {
    handlers.bind(ops);
  }
}
