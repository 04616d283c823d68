package io.caduceus.api.demo;

import io.caduceus.api.appointment.AppointmentService;
import io.caduceus.api.auth.Passwords;
import io.caduceus.api.billing.CoverageService;
import io.caduceus.api.billing.FeeService;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.onboarding.PlatformService;
import io.caduceus.api.organisation.CareTeamService;
import io.caduceus.api.organisation.FacilityService;
import io.caduceus.api.organisation.StaffGroupService;
import io.caduceus.api.partner.PartnerService;
import io.caduceus.api.patient.PatientService;
import io.caduceus.api.practitioner.PractitionerService;
import io.caduceus.api.telehealth.TelehealthSettingsService;
import io.caduceus.routing.ControlPlane;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.api.auth.mfa.MfaRepository;
import io.caduceus.api.auth.mfa.TotpSecrets;
import io.caduceus.routing.keys.TenantKeyring;

import java.util.Set;

/**
 * The services the demo seeding drives (the same ones the API uses, so demo data obeys the same rules), and the
 * regions this deployment serves.
 */
public record DemoServices(Set<String> regions, ControlPlane controlPlane, TenantCatalog catalog, TenantKeyring keyring,
                           UserRepository users, Passwords passwords, PlatformService platform,
                           PatientService patients, PractitionerService practitioners,
                           AppointmentService appointments, PartnerService partners,
                           FeeService fees, CoverageService coverages,
                           TelehealthSettingsService telehealthSettings, MfaRepository mfa,
                           TotpSecrets totpSecrets, FacilityService facilities, CareTeamService careTeams,
                           StaffGroupService staffGroups) {
}
