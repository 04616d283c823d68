package io.caduceus.api.demo;

import io.caduceus.api.access.Role;
import io.caduceus.api.auth.mfa.Base32;
import io.caduceus.api.appointment.Appointment;
import io.caduceus.api.auth.User;
import io.caduceus.api.onboarding.PlatformService;
import io.caduceus.api.partner.PartnerScope;
import io.caduceus.api.patient.ShownPatient;
import io.caduceus.api.practitioner.Practitioner;
import io.caduceus.routing.IsolationTier;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.UuidV7;
import io.caduceus.routing.catalog.NewTenant;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantKind;
import io.caduceus.routing.catalog.TenantStatus;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Seeds a demo platform on an empty control plane: the platform owner, a clinic, a lab, a pharmacy and an
 * insurer in the {@code us} region and a clinic in {@code eu}, users of every role, practitioners, patients,
 * appointments, a patient account, and the clinic's partner links to the lab, the pharmacy and the insurer. Everything goes through the services, so it is audited like real work.
 */
public final class DemoPlatform {

  /** The password of every demo user. */
  public static final String PASSWORD = "demo-password-2026";
  /**
   * The TOTP secret (base32) of the demo's platform owner and tenant admins: the owner always needs MFA, and admins do
   * step-up operations (exports, role changes, provider credentials). A demo secret, printed in the banner: never a
   * real one.
   */
  public static final String TOTP_SECRET = "KRUGS4ZANFZSAYJAMRSW23ZAONSWG4TF";

  /** A demo account as the start banner prints it: its email, its role, and its tenants as "name (region)". */
  public record Login(String email, String role, String tenants) {

    /** The banner's line: the three columns aligned. */
    public String line() {
      return String.format("%-31s %-18s %s", email, role, tenants);
    }
  }

  /** Every demo account, in the banner's order (README.md's demo-login table lists the same, in the same order). */
  public static final List<Login> LOGINS = List.of(
      new Login("owner@caduceus.test", "platform_owner", "Caduceus Platform (us)"),
      new Login("admin@riverside.test", "tenant_admin", "Riverside Family Clinic (us)"),
      new Login("dr.rivera@riverside.test", "physician", "Riverside Family Clinic (us), Klinik Berlin Mitte (eu)"),
      new Login("nurse.chen@riverside.test", "nurse", "Riverside Family Clinic (us)"),
      new Login("frontdesk@riverside.test", "receptionist", "Riverside Family Clinic (us)"),
      new Login("billing@riverside.test", "accountant", "Riverside Family Clinic (us)"),
      new Login("privacy@riverside.test", "privacy_officer", "Riverside Family Clinic (us)"),
      new Login("admin@northside-lab.test", "tenant_admin", "Northside Diagnostics (us)"),
      new Login("tech@northside-lab.test", "lab_technician", "Northside Diagnostics (us)"),
      new Login("admin@mainstreet-pharmacy.test", "tenant_admin", "Main Street Pharmacy (us)"),
      new Login("rx@mainstreet-pharmacy.test", "pharmacist", "Main Street Pharmacy (us)"),
      new Login("admin@acme-health.test", "tenant_admin", "Acme Health Insurance (us)"),
      new Login("claims@acme-health.test", "insurance_manager", "Acme Health Insurance (us)"),
      new Login("admin@klinik-berlin.test", "tenant_admin", "Klinik Berlin Mitte (eu)"),
      new Login("maria.garcia@patient.test", "patient", "Riverside Family Clinic (us)"),
      new Login("aiko.tanaka@patient.test", "patient", "Riverside Family Clinic (us)"));

  /** What the seeding produced: the logins to print (empty when seeding is off). */
  public record Seeded(List<Login> logins) {
    /** Seeding is switched off. */
    public static final Seeded NONE = new Seeded(List.of());
  }

  private DemoPlatform() {
  }

  /**
   * Seeds when the control plane has no tenant yet. On a platform that already has tenants it seeds nothing, and
   * reports the demo logins only if an earlier run seeded them.
   */
  public static Future<Seeded> seedIfEmpty(DemoServices s) {
    return s.catalog().count().compose(n -> n > 0
        ? s.users().byEmail("owner@caduceus.test").map(owner -> owner.isPresent() ? new Seeded(LOGINS) : Seeded.NONE)
        : s.passwords().hash(PASSWORD).compose(hash -> new Seeding(s, hash).run()).map(v -> new Seeded(LOGINS)));
  }

  /** One seeding run. */
  private static final class Seeding {
    private final DemoServices s;
    private final String passwordHash;
    private final String home;
    private final String europe;

    Seeding(DemoServices s, String passwordHash) {
      this.s = s;
      this.passwordHash = passwordHash;
      this.home = s.regions().contains("us") ? "us" : s.regions().iterator().next();
      this.europe = s.regions().contains("eu") ? "eu" : home;
    }

    Future<Void> run() {
      return platformTenant().compose(platform -> user(platform.id(), "owner@caduceus.test", "Platform Owner",
              "platform_owner", null)
          .compose(ownerId -> {
            TenantContext owner = system(platform, ownerId, Role.PLATFORM_OWNER);
            return Future.all(
                    onboard(owner, TenantKind.CLINIC, "riverside", "Riverside Family Clinic", home, "America/New_York"),
                    onboard(owner, TenantKind.LAB, "northside-lab", "Northside Diagnostics", home, "America/Chicago"),
                    onboard(owner, TenantKind.PHARMACY, "mainstreet-pharmacy", "Main Street Pharmacy", home,
                        "America/New_York"),
                    onboard(owner, TenantKind.INSURER, "acme-health", "Acme Health Insurance", home, "America/Denver"),
                    onboard(owner, TenantKind.CLINIC, "klinik-berlin", "Klinik Berlin Mitte", europe, "Europe/Berlin"))
                .compose(all -> partners(all.resultAt(1), all.resultAt(2), all.resultAt(3))
                    .compose(v -> berlin(all.resultAt(4)))
                    .compose(v -> riverside(all.resultAt(0), all.resultAt(4)))
                    .compose(v -> links(all.resultAt(0), List.of(all.resultAt(1), all.resultAt(2), all.resultAt(3))))
                    .compose(v -> billing(all.resultAt(0), all.resultAt(3))));
          }));
    }

    private Future<Tenant> platformTenant() {
      NewTenant platform = new NewTenant(TenantKind.PLATFORM, "caduceus", "Caduceus Platform", TenantStatus.ACTIVE,
          home, IsolationTier.SHARED, "en-US", "America/New_York", new JsonObject().put("displayName", "Caduceus"));
      return s.controlPlane().inTransaction(conn -> s.catalog().create(conn, platform)
          .compose(t -> s.keyring().provision(conn, t.id()).map(t)));
    }

    private Future<Tenant> onboard(TenantContext owner, TenantKind kind, String slug, String name, String region,
                                   String zone) {
      JsonObject body = new JsonObject().put("kind", kind.wire()).put("slug", slug).put("name", name)
          .put("dataRegion", region).put("locale", zone.startsWith("Europe") ? "de-DE" : "en-US").put("timeZone", zone)
          .put("branding", new JsonObject().put("displayName", name));
      return s.platform().create(owner, body).map(PlatformService.Onboarded::tenant);
    }

    private Future<Void> partners(Tenant lab, Tenant pharmacy, Tenant insurer) {
      return Future.all(
          user(lab.id(), "admin@northside-lab.test", "Lab Admin", "tenant_admin", null),
          user(lab.id(), "tech@northside-lab.test", "Sam Okoye", "lab_technician", null),
          user(pharmacy.id(), "admin@mainstreet-pharmacy.test", "Pharmacy Admin", "tenant_admin", null),
          user(pharmacy.id(), "rx@mainstreet-pharmacy.test", "Priya Nair", "pharmacist", null),
          user(insurer.id(), "admin@acme-health.test", "Insurer Admin", "tenant_admin", null),
          user(insurer.id(), "claims@acme-health.test", "Dana Whitfield", "insurance_manager", null)).mapEmpty();
    }

    /** Riverside invites its lab, pharmacy and insurer, and each partner's admin accepts. */
    private Future<Void> links(Tenant clinic, List<Tenant> partners) {
      return admin(clinic, "admin@riverside.test").compose(clinicAdmin -> {
        Future<Void> linked = Future.succeededFuture();
        for (Tenant partner : partners) {
          PartnerScope scope = Stream.of(PartnerScope.values()).filter(sc -> sc.mayServe(partner.kind())).findFirst()
              .orElseThrow();
          linked = linked.compose(v -> admin(partner, "admin@" + partner.slug() + ".test")
              .compose(partnerAdmin -> s.partners().invite(clinicAdmin, scope)
                  .compose(invitation -> s.partners().accept(partnerAdmin, invitation.code())))
              .mapEmpty());
        }
        return linked;
      });
    }

    /**
     * Riverside's fee schedule, and Maria Garcia's coverage at Acme (the member id on her Riverside record), so
     * eligibility, charges and a claim work on the demo.
     */
    private Future<Void> billing(Tenant clinic, Tenant insurer) {
      LocalDate today = LocalDate.now(ZoneId.of(clinic.timeZone()));
      Future<Void> fees = admin(clinic, "admin@riverside.test").compose(admin -> Future.all(
          fee(admin, "99213", "Office visit, established patient, low complexity", 15_000),
          fee(admin, "99214", "Office visit, established patient, moderate complexity", 21_000),
          fee(admin, "83036", "Hemoglobin A1c", 2_800),
          fee(admin, "36415", "Routine venipuncture", 1_200)).mapEmpty());
      Future<Void> coverage = admin(insurer, "admin@acme-health.test").compose(admin -> s.patients()
          .create(admin, patient("Garcia", "Maria", "1968-04-12", "female", "es-US"))
          .compose(member -> s.coverages().create(admin, new JsonObject().put("patientId", member.id().toString())
              .put("memberId", "ACM-448812-01").put("plan", "Acme Silver PPO")
              .put("periodStart", today.withDayOfYear(1).toString())
              .put("periodEnd", today.plusYears(1).withMonth(12).withDayOfMonth(31).toString())))
          .mapEmpty());
      return Future.all(fees, coverage).mapEmpty();
    }

    private Future<Void> fee(TenantContext admin, String code, String display, long cents) {
      return s.fees().put(admin, code, new JsonObject().put("amountCents", cents).put("currency", "USD")
          .put("display", display)).mapEmpty();
    }

    private Future<TenantContext> admin(Tenant tenant, String email) {
      return s.users().byEmail(email).map(user -> system(tenant, user.orElseThrow().id(), Role.TENANT_ADMIN));
    }

    private Future<Void> berlin(Tenant berlin) {
      return user(berlin.id(), "admin@klinik-berlin.test", "Jonas Weber", "tenant_admin", null).compose(adminId -> {
        TenantContext staff = system(berlin, adminId, Role.values());
        return s.patients().create(staff, patient("Schmidt", "Lena", "1979-11-02", "female", "de-DE")).mapEmpty();
      });
    }

    private Future<Void> riverside(Tenant clinic, Tenant berlin) {
      return user(clinic.id(), "admin@riverside.test", "Olivia Park", "tenant_admin", null).compose(adminId -> {
        TenantContext staff = system(clinic, adminId, Role.values());
        return Future.all(
                user(clinic.id(), "dr.rivera@riverside.test", "Dr. Ana Rivera", "physician", null),
                user(clinic.id(), "nurse.chen@riverside.test", "Li Chen", "nurse", null),
                user(clinic.id(), "frontdesk@riverside.test", "Tom Baker", "receptionist", null),
                user(clinic.id(), "privacy@riverside.test", "Priya Shah", "privacy_officer", null),
                user(clinic.id(), "billing@riverside.test", "Grace Liu", "accountant", null))
            .compose(users -> user(berlin.id(), "dr.rivera@riverside.test", "Dr. Ana Rivera", "physician", null)
                .compose(rivera -> admin(berlin, "admin@klinik-berlin.test").compose(berlinAdmin ->
                    practitioner(berlinAdmin, rivera, "Rivera", "Ana", "Allgemeinmedizin", null)))
                .compose(v -> Future.all(
                    practitioner(staff, users.resultAt(0), "Rivera", "Ana", "Family medicine", "1234567893"),
                    practitioner(staff, users.resultAt(1), "Chen", "Li", "Nursing", null)))
                .compose(practitioners -> sites(staff, users.resultAt(0), users.resultAt(1), users.resultAt(2))
                    .compose(sites -> patients(staff, sites)).compose(patients ->
                        appointments(staff, clinic, practitioners.resultAt(0), practitioners.resultAt(1), patients)
                            .compose(v -> user(clinic.id(), "maria.garcia@patient.test", "Maria Garcia", "patient",
                                patients.get(0).id()))
                            .compose(v -> user(clinic.id(), "aiko.tanaka@patient.test", "Aiko Tanaka", "patient",
                                patients.get(2).id())))))
            .mapEmpty();
      });
    }

    /**
     * Riverside's two sites (issue 15) and a care team: Dr. Rivera works at both, Nurse Chen and the front desk at
     * Riverside Main, and the diabetes care team (Rivera, Chen) looks after Maria Garcia. The scoped access policy
     * stays off; the README walk turns it on. Answers the two facilities' ids, Main first.
     */
    private Future<List<UUID>> sites(TenantContext staff, UUID rivera, UUID chen, UUID desk) {
      return s.facilities().create(staff, new JsonObject().put("name", "Riverside Main")
              .put("address", new JsonObject().put("lines", new JsonArray().add("1 River Road")).put("city", "Springfield")
                  .put("region", "IL").put("postalCode", "62701").put("country", "US")))
          .compose(main -> s.facilities().create(staff, new JsonObject().put("name", "Riverside East")
                  .put("address", new JsonObject().put("city", "Decatur").put("region", "IL").put("country", "US"))
                  .put("timeZone", "America/Chicago"))
              .compose(east -> s.careTeams().create(staff, new JsonObject().put("name", "Diabetes care")
                      .put("facilityId", main.id().toString()).put("description", "Type 2 diabetes follow-up"))
                  .compose(team -> Future.all(List.of(
                          s.staffGroups().place(staff, rivera, main.id(), true),
                          s.staffGroups().place(staff, rivera, east.id(), true),
                          s.staffGroups().place(staff, chen, main.id(), true),
                          s.staffGroups().place(staff, desk, main.id(), true),
                          s.staffGroups().place(staff, rivera, team.id(), true),
                          s.staffGroups().place(staff, chen, team.id(), true)))
                      .map(all -> List.of(main.id(), east.id(), team.id())))));
    }

    private Future<List<ShownPatient>> patients(TenantContext staff, List<UUID> sites) {
      JsonObject maria = patient("Garcia", "Maria", "1968-04-12", "female", "es-US")
          .put("contact", new JsonObject().put("phone", "+1 555 0100").put("email", "maria.garcia@patient.test")
              .put("address", new JsonObject().put("lines", new JsonArray().add("12 Elm Street"))
                  .put("city", "Springfield").put("region", "IL").put("postalCode", "62701").put("country", "US")))
          .put("insurance", new JsonObject().put("payer", "Acme Health Insurance").put("plan", "Acme Silver PPO")
              .put("memberId", "ACM-448812-01").put("group", "GRP-2210"))
          .put("identifiers", new JsonObject().put("nationalId", "123-45-6789"))
          .put("clinical", new JsonObject().put("allergies", new JsonArray().add("penicillin"))
              .put("problems", new JsonArray().add(new JsonObject().put("code", "E11.9")
                  .put("display", "Type 2 diabetes mellitus without complications")))
              .put("medications", new JsonArray().add("metformin 500 mg twice daily")).put("bloodType", "O+"));
      String main = sites.get(0).toString();
      return Future.all(Stream.of(maria.put("facilityId", main),
                  patient("Smith", "John", "1955-09-30", "male", "en-US").put("facilityId", main),
                  patient("Tanaka", "Aiko", "1990-01-17", "female", "ja-JP").put("facilityId", sites.get(1).toString()),
                  patient("Okafor", "Samuel", "2001-06-05", "male", "en-US").put("facilityId", main))
              .map(body -> s.patients().create(staff, body)).collect(Collectors.toList()))
          .map(all -> all.<ShownPatient>list())
          .compose(all -> s.careTeams().patient(staff, sites.get(2), all.get(0).id(), true).map(all));
    }

    private Future<Void> appointments(TenantContext staff, Tenant clinic, Practitioner doctor, Practitioner nurse,
                                      List<ShownPatient> patients) {
      ZoneId zone = ZoneId.of(clinic.timeZone());
      LocalDate tomorrow = LocalDate.now(zone).plusDays(1);
      Future<Void> virtual = s.telehealthSettings().update(staff, 0, new JsonObject().put("virtualVisits", true)
              .put("checkInLeadMinutes", 30).put("maxParticipants", 3))
          .compose(v -> s.appointments().book(staff, new JsonObject().put("patientId", patients.get(0).id().toString())
              .put("practitionerId", doctor.id().toString()).put("modality", "virtual")
              .put("start", virtualVisitStart(zone).toOffsetDateTime().toString())
              .put("end", virtualVisitStart(zone).plusMinutes(20).toOffsetDateTime().toString())
              .put("reason", "Blood sugar check-in (video)")))
          .mapEmpty();
      return virtual.compose(v -> Future.all(
          book(staff, patients.get(0).id(), doctor, ZonedDateTime.of(tomorrow, LocalTime.of(9, 0), zone), "Diabetes review"),
          book(staff, patients.get(1).id(), doctor, ZonedDateTime.of(tomorrow, LocalTime.of(9, 30), zone), "Annual physical"),
          book(staff, patients.get(2).id(), nurse, ZonedDateTime.of(tomorrow, LocalTime.of(10, 0), zone), "Vaccination"),
          book(staff, patients.get(3).id(), doctor, ZonedDateTime.of(tomorrow.plusDays(1), LocalTime.of(14, 0), zone),
              "Sports injury")).mapEmpty());
    }

    /**
     * Maria's virtual visit today: at 17:00, or two hours after the next full hour if the demo starts later, so
     * the README's own virtual visit (booked for "now") does not meet it.
     */
    private static ZonedDateTime virtualVisitStart(ZoneId zone) {
      ZonedDateTime now = ZonedDateTime.now(zone);
      ZonedDateTime afternoon = now.toLocalDate().atTime(17, 0).atZone(zone);
      ZonedDateTime later = now.truncatedTo(ChronoUnit.HOURS).plusHours(3);
      return later.isAfter(afternoon) ? later : afternoon;
    }

    private Future<Appointment> book(TenantContext staff, UUID patient, Practitioner with, ZonedDateTime start,
                                     String reason) {
      return s.appointments().book(staff, new JsonObject().put("patientId", patient.toString())
          .put("practitionerId", with.id().toString()).put("start", start.toOffsetDateTime().toString())
          .put("end", start.plusMinutes(30).toOffsetDateTime().toString()).put("reason", reason));
    }

    private Future<Practitioner> practitioner(TenantContext staff, UUID userId, String family, String given,
                                              String specialty, String npi) {
      JsonObject body = new JsonObject().put("userId", userId.toString())
          .put("name", new JsonObject().put("family", family).put("given", given)).put("specialty", specialty);
      if (npi != null) {
        body.put("npi", npi);
      }
      return s.practitioners().create(staff, body);
    }

    private Future<UUID> user(TenantId tenant, String email, String name, String role, UUID patientId) {
      return s.users().byEmail(email).compose(existing -> {
        UUID id = existing.map(User::id).orElseGet(UuidV7::next);
        return s.controlPlane().inTransaction(conn -> (existing.isPresent() ? Future.<Void>succeededFuture()
                : s.users().insert(conn, id, email, name, passwordHash))
            .compose(v -> s.users().join(conn, id, tenant, List.of(role), patientId)))
            .compose(v -> existing.isEmpty() && (role.equals("platform_owner") || role.equals("tenant_admin"))
                ? s.mfa().putPending(id, s.totpSecrets().seal(id, Base32.decode(TOTP_SECRET)))
                    .compose(x -> s.mfa().acceptStep(id, 1, true)).mapEmpty()
                : Future.<Void>succeededFuture())
            .map(id);
      });
    }

    private static JsonObject patient(String family, String given, String birthDate, String sex, String language) {
      return new JsonObject().put("name", new JsonObject().put("family", family).put("given", given))
          .put("birthDate", birthDate).put("sex", sex).put("preferredLanguage", language);
    }

    private static TenantContext system(Tenant tenant, UUID actor, Role... roles) {
      Set<String> permissions = Role.permissionKeys(Stream.of(roles).map(Role::wire).toList());
      return TenantContext.system(tenant.id(), tenant.dataRegion(), tenant.tier(), actor, permissions, "demo-seed");
    }
  }
}
