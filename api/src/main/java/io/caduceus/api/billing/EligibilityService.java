package io.caduceus.api.billing;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.audit.AuditEvent;
import io.caduceus.api.audit.AuditTrail;
import io.caduceus.api.error.Conflict;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.exchange.ExchangeDelivery;
import io.caduceus.api.partner.PartnerLink;
import io.caduceus.api.partner.PartnerScope;
import io.caduceus.api.partner.PartnerService;
import io.caduceus.api.patient.Patient;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.TenantDb;
import io.caduceus.routing.TenantId;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.keys.TenantKeyring;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Eligibility: the clinic's front desk asks a linked insurer whether a patient's coverage is in force on the day
 * of a visit, and the answer is kept with the appointment.
 *
 * <p>The question is answered while the receptionist waits (as an X12 270/271 is), so it does not go through the
 * asynchronous exchange: the platform reads the insurer's coverage in the insurer's own region, under the
 * insurer's tenant id and row-level security, and both sides audit the question naming the other (the clinic's
 * side is the request's declared record; the insurer's side is written here). Only the answer crosses back: a
 * status, the plan and its period. A member id that does not match the patient's family name and birth date gets
 * the same "no match" as an unknown one, so the question cannot probe for members.
 */
public final class EligibilityService {

  private final TenantDb db;
  private final TenantCatalog catalog;
  private final TenantKeyring keyring;
  private final PartnerService partners;
  private final AuditTrail audit;
  private final EligibilityRepository eligibility = new EligibilityRepository();
  private final CoverageRepository coverages = new CoverageRepository();

  public EligibilityService(TenantDb db, TenantCatalog catalog, TenantKeyring keyring, PartnerService partners,
                            AuditTrail audit) {
    this.db = db;
    this.catalog = catalog;
    this.keyring = keyring;
    this.partners = partners;
    this.audit = audit;
  }

  /** What the clinic knows of the visit when it asks. */
  private record Question(UUID appointmentId, UUID patientId, LocalDate serviceDate, String familyName,
                          LocalDate birthDate, String memberId) {
  }

  /** Asks the insurer about the appointment's patient and stores the answer with the appointment. */
  public Future<JsonObject> check(TenantContext ctx, UUID appointmentId, JsonObject body) {
    TenantId insurer = TenantId.parse(body.getString("insurerTenantId"));
    ctx.audit().partner(insurer.value());
    return Access.check(ctx, Permission.ELIGIBILITY_CHECK)
        .compose(v -> partners.usableLink(ctx.tenantId(), insurer, PartnerScope.CLAIMS))
        .compose(link -> question(ctx, appointmentId, body.getString("memberId"))
            .compose(q -> answer(ctx, link, insurer, q)
                .compose(answer -> db.inTenant(ctx, conn -> eligibility.store(conn, appointmentId, answer)
                    .map(v -> {
                      ctx.audit().patient(q.patientId());
                      return answer;
                    })))));
  }

  /** The last answer stored with the appointment. */
  public Future<JsonObject> last(TenantContext ctx, UUID appointmentId) {
    return Access.check(ctx, Permission.ELIGIBILITY_CHECK)
        .compose(v -> db.once(ctx, conn -> eligibility.last(conn, appointmentId)))
        .map(kept -> {
          JsonObject answer = kept.orElseThrow(() -> new NotFound("no such appointment")).answer();
          if (answer == null) {
            throw new NotFound("eligibility has not been checked for this appointment");
          }
          return answer;
        })
        .onSuccess(answer -> ctx.audit().patient(UUID.fromString(answer.getString("patientId"))));
  }

  private Future<Question> question(TenantContext ctx, UUID appointmentId, String memberId) {
    return keyring.keys(ctx.tenantId()).compose(keys -> catalog.find(ctx.tenantId()).compose(clinic -> db
        .once(ctx, conn -> eligibility.visit(conn, appointmentId))
        .map(found -> {
              EligibilityRepository.Visit visit = found.orElseThrow(() -> new NotFound("no such appointment"));
              if (Set.of("cancelled", "no_show").contains(visit.status())) {
                throw new Conflict("the appointment is " + visit.status());
              }
              UUID patientId = visit.patientId();
              String member = memberId;
              if (member == null && visit.memberIdSealed() != null) {
                member = keys.open(Patient.memberIdBinding(patientId), visit.memberIdSealed());
              }
              if (member == null) {
                throw new Conflict("the patient's record has no insurance member id; record it or send memberId");
              }
              ZoneId zone = clinic.map(t -> ZoneId.of(t.timeZone())).orElse(ZoneOffset.UTC);
              return new Question(appointmentId, patientId,
                  visit.startsAt().atZoneSameInstant(zone).toLocalDate(), visit.familyName(), visit.birthDate(),
                  member);
            })));
  }

  /** The insurer's answer, read in its own tenant and audited there naming the clinic. */
  private Future<JsonObject> answer(TenantContext ctx, PartnerLink link, TenantId insurer, Question q) {
    return catalog.find(insurer).compose(found -> {
      Tenant tenant = found.orElseThrow(() -> new NotFound("no such insurer"));
      TenantContext asInsurer = TenantContext.system(insurer, tenant.dataRegion(), tenant.tier(),
          ExchangeDelivery.ACTOR, Set.of(), "eligibility-" + ctx.requestId());
      return keyring.keys(insurer).compose(keys -> db.inTenant(asInsurer, conn -> coverages
          .byMember(conn, MemberIds.index(keys, q.memberId()))
          .compose(member -> {
            Optional<Coverage> matched = member.filter(m -> samePerson(m, q)).map(CoverageRepository.Member::coverage);
            JsonObject answer = new JsonObject().put("appointmentId", q.appointmentId().toString())
                .put("patientId", q.patientId().toString()).put("insurerTenantId", insurer.toString())
                .put("insurerName", tenant.name()).put("serviceDate", q.serviceDate().toString())
                .put("checkedAt", Instant.now().toString()).put("checkedBy", ctx.userId().toString());
            if (matched.isEmpty()) {
              answer.put("status", "no_match")
                  .put("reason", "the insurer has no member with this member id, family name and birth date");
            } else {
              Coverage c = matched.get();
              boolean covered = c.covers(q.serviceDate());
              answer.put("status", covered ? "eligible" : "not_eligible").put("plan", c.plan())
                  .put("periodStart", c.periodStart().toString())
                  .put("periodEnd", c.periodEnd() == null ? null : c.periodEnd().toString());
              if (!covered) {
                answer.put("reason", "active".equals(c.status()) ? "the coverage period does not include the visit"
                    : "the coverage is " + c.status());
              }
            }
            return audit.record(conn, asInsurer, AuditEvent.of("eligibility.answer", "coverage",
                    matched.map(Coverage::id).orElse(null), matched.map(Coverage::patientId).orElse(null))
                    .withPartner(link.other(insurer).value()))
                .map(answer);
          })));
    });
  }

  private static boolean samePerson(CoverageRepository.Member member, Question q) {
    String family = member.familyName();
    return family != null && q.familyName() != null
        && family.trim().toLowerCase(Locale.ROOT).equals(q.familyName().trim().toLowerCase(Locale.ROOT))
        && q.birthDate() != null && q.birthDate().equals(member.birthDate());
  }
}
