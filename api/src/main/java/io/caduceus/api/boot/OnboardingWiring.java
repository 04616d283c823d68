package io.caduceus.api.boot;

import io.caduceus.api.account.EmailVerifications;
import io.caduceus.api.http.Idempotency;
import io.caduceus.api.http.Operations;
import io.caduceus.api.onboarding.InvitationHandlers;
import io.caduceus.api.onboarding.InvitationService;
import io.caduceus.api.onboarding.PlatformHandlers;
import io.caduceus.api.onboarding.PlatformService;
import io.caduceus.api.onboarding.QuotaService;
import io.caduceus.api.onboarding.RegistrationHandlers;
import io.caduceus.api.onboarding.RegistrationService;
import io.caduceus.api.onboarding.TenantAdminHandlers;
import io.caduceus.api.onboarding.TenantAdminService;
import io.caduceus.api.onboarding.WebOriginService;
import io.caduceus.api.patient.PatientService;
import io.caduceus.routing.PlaceDoor;

/** How tenants and their people arrive: the platform's tenants, registrations, invitations and tenant admin. */
final class OnboardingWiring {

  final InvitationService invitations;
  final PlatformService platform;
  final TenantAdminService tenantAdmin;
  final RegistrationService registrations;

  OnboardingWiring(Shared shared, AccessWiring access, PatientService patients, PlaceDoor places,
                   EmailVerifications verifications) {
    var controlPlane = shared.controlPlane();
    var catalog = shared.catalog();
    var keyring = shared.keyring();
    var regions = shared.regions();
    var placements = shared.placements();
    var cursors = shared.cursors();
    var db = shared.db();
    var outbox = shared.outbox();
    var users = access.users;
    var passwords = access.passwords;
    var throttle = access.throttle;
    var auth = access.auth;
    var revocations = access.revocations;
    this.invitations = new InvitationService(controlPlane, catalog, users, passwords, throttle, auth, patients,
        cursors, db, keyring, outbox, verifications);
    this.platform = new PlatformService(controlPlane, catalog, keyring, regions, invitations, auth, revocations,
        cursors, places, placements);
    this.tenantAdmin = new TenantAdminService(controlPlane, catalog, users, auth, cursors, access.configStore);
    this.registrations = new RegistrationService(controlPlane, catalog, keyring, regions, users, passwords, throttle,
        verifications);
  }

  /** Binds the onboarding and tenant-administration operations. */
  void bind(Operations ops, Idempotency idempotency, QuotaService quotas, WebOriginService webOrigins) {
    new PlatformHandlers(platform, quotas, idempotency).bind(ops);
    new TenantAdminHandlers(tenantAdmin, invitations, webOrigins, idempotency).bind(ops);
    new InvitationHandlers(invitations).bind(ops);
    new RegistrationHandlers(registrations).bind(ops);
  }
}
