package io.caduceus.api.fhir;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.audit.AuditRecord;
import io.caduceus.api.audit.AuditSearch;
import io.caduceus.api.audit.AuditService;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.portal.AccessActors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code AuditEvent}: the tenant's audit trail, in this tenant only. Staff read it with the permission of
 * {@code /v1/audit-events} ({@code audit.read}) and see each event as stored (the actor's user id and roles, every
 * patient and the object). A patient's token reads their own access log as {@code /v1/portal/access-log} shows it
 * (audited as {@code portal.access_log} naming the patient): only events naming them, none of their own, the actor
 * named by the log's rules ({@code AccessActors}: staff by name and roles, anyone else unnamed), no other patient
 * and no object id.
 */
public final class AuditEventFhir implements FhirType {

  /** DICOM's code system (the event type "Patient Record"). */
  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  /** FHIR's audit event types ("rest"). */
  static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
  /** The actions of the trail, as stored ({@code patient.read}). */
  static final String ACTION = "https://caduceus.health/fhir/CodeSystem/audit-action";
  /** The users of a tenant (an event's actor as staff see it). */
  static final String USER = "https://caduceus.health/fhir/sid/user";
  /** The tenants of the platform (an exchange's partner). */
  static final String TENANT = "https://caduceus.health/fhir/sid/tenant";
  private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
  private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

  private final AuditService audit;
  private final AccessActors actors;

  public AuditEventFhir(AuditService audit, AccessActors actors) {
    this.audit = audit;
    this.actors = actors;
  }

  @Override
  public String name() {
    return "AuditEvent";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "A patient the event concerns"),
        new SearchParameter("date", SearchParamType.DATE, "When the event was recorded"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "The same as date (an event never changes)"));
  }

  @Override
  public List<String> includes() {
    return List.of("AuditEvent:patient");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    AuditEvent event = (AuditEvent) resource;
    return "patient".equals(searchParameter) ? event.getEntity().stream().map(e -> e.getWhat().getReference())
        .filter(r -> r != null && r.startsWith("Patient/")).toList() : List.of();
  }

  @Override
  public Future<AuditEvent> read(TenantContext ctx, String id) {
    UUID eventId = FhirHandlers.uuid(id, "audit event");
    Optional<UUID> own = own(ctx);
    if (own.isPresent()) {
      ctx.audit().action("portal.access_log").patient(own.get());
      return Access.check(ctx, Permission.PORTAL).compose(v -> audit.find(ctx, eventId))
          .map(found -> found.filter(e -> e.patientIds().contains(own.get()) && !ctx.userId().equals(e.actorUserId()))
              .orElseThrow(() -> new NotFound("audit event")))
          .compose(e -> asPatientSees(List.of(e), own.get())).map(list -> list.get(0));
    }
    ctx.audit().action("audit.read");
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> audit.find(ctx, eventId))
        .map(found -> found.orElseThrow(() -> new NotFound("audit event")))
        .map(e -> {
          ctx.audit().patients(e.patientIds());
          return asStaffSee(e);
        });
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    int limit = SearchValues.limit(query);
    Optional<List<UUID>> patients = SearchValues.ids(query, "Patient", "patient");
    FhirQuery.DateRange when = SearchValues.dates(query, "date").and(SearchValues.dates(query, "_lastUpdated"));
    Optional<UUID> own = own(ctx);
    if (own.isPresent()) {
      ctx.audit().action("portal.access_log").patient(own.get());
      List<UUID> mine = patients.map(p -> p.contains(own.get()) ? List.of(own.get()) : List.<UUID>of())
          .orElse(List.of(own.get()));
      AuditSearch search = new AuditSearch(mine, ctx.userId(), SearchValues.from(when), SearchValues.to(when));
      if (query.summaryCount()) {
        return Access.check(ctx, Permission.PORTAL).compose(v -> audit.count(ctx, search)).map(FhirPage::count);
      }
      return Access.check(ctx, Permission.PORTAL).compose(v -> audit.search(ctx, search, limit, query.cursor()))
          .compose(page -> asPatientSees(page.items(), own.get()).map(items -> FhirPage.of(items, page.nextCursor())));
    }
    ctx.audit().action("audit.read");
    AuditSearch search = new AuditSearch(patients.orElse(null), null, SearchValues.from(when), SearchValues.to(when));
    if (query.summaryCount()) {
      return Access.check(ctx, Permission.AUDIT_READ).compose(v -> audit.count(ctx, search)).map(FhirPage::count);
    }
    return Access.check(ctx, Permission.AUDIT_READ).compose(v -> audit.search(ctx, search, limit, query.cursor()))
        .map(page -> {
          page.items().forEach(e -> ctx.audit().patients(e.patientIds()));
          return FhirPage.of(page.items().stream().map(AuditEventFhir::asStaffSee).toList(), page.nextCursor());
        });
  }

  /**
   * The patient a token reads its own log as: a patient's token without the permission to read the trail. Anyone
   * else reads the trail as staff (and is refused without {@code audit.read}).
   */
  private static Optional<UUID> own(TenantContext ctx) {
    return Access.has(ctx, Permission.AUDIT_READ) ? Optional.empty() : ctx.patientId();
  }

  /** Events as the patient's access log shows them: the actor by its rules, the patient alone, no object id. */
  private Future<List<AuditEvent>> asPatientSees(List<AuditRecord> events, UUID patient) {
    return actors.describe(events).map(named -> events.stream().map(e -> {
      AuditEvent event = common(e);
      JsonObject actor = named.get(e.id());
      AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
      agent.setWho(new Reference().setDisplay(actor.getString("name")));
      actor.getJsonArray("roles").forEach(role -> agent.addRole().setText(String.valueOf(role)));
      JsonObject partner = actor.getJsonObject("partner");
      if (partner != null) {
        partnerAgent(event, partner.getString("tenantId")).getWho().setDisplay(partner.getString("tenantName"));
      }
      patientEntity(event, patient);
      event.addEntity().setWhat(new Reference().setDisplay(e.resourceType()))
          .setType(new Coding(ENTITY_TYPE, "2", "System Object"));
      return event;
    }).toList());
  }

  /** An event as the trail holds it: the actor's user id and roles, every patient, the object and its id. */
  static AuditEvent asStaffSee(AuditRecord e) {
    AuditEvent event = common(e);
    AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(true);
    Reference who = new Reference();
    who.getIdentifier().setSystem(USER).setValue(e.actorUserId().toString());
    agent.setWho(who);
    e.actorRoles().forEach(role -> agent.addRole().setText(role));
    if (e.partnerTenantId() != null) {
      partnerAgent(event, e.partnerTenantId().toString());
    }
    e.patientIds().forEach(p -> patientEntity(event, p));
    Reference what = new Reference().setDisplay(e.resourceType());
    if (e.resourceId() != null) {
      what.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + e.resourceId());
    }
    event.addEntity().setWhat(what).setType(new Coding(ENTITY_TYPE, "2", "System Object"));
    return event;
  }

  /** What both views show: the type, the action, when, the outcome and this server as the observer. */
  private static AuditEvent common(AuditRecord e) {
    AuditEvent event = new AuditEvent();
    event.setId(e.id().toString());
    // An event never changes: its one version.
    event.getMeta().setVersionId("1").setLastUpdated(Date.from(e.occurredAt()));
    event.setType(e.patientIds().isEmpty() ? new Coding(EVENT_TYPE, "rest", "RESTful Operation")
        : new Coding(DCM, "110110", "Patient Record"));
    event.addSubtype(new Coding(ACTION, e.action(), null));
    event.setAction(action(e.action()));
    event.setRecorded(Date.from(e.occurredAt()));
    event.setOutcome(switch (e.outcome()) {
      case "success" -> AuditEventOutcome._0;
      case "denied", "not_found" -> AuditEventOutcome._4;
      default -> AuditEventOutcome._8;
    });
    if (!"success".equals(e.outcome())) {
      event.setOutcomeDesc(e.outcome());
    }
    event.getSource().setObserver(new Reference().setDisplay("Caduceus"));
    return event;
  }

  /** The other tenant of a copy a cross-tenant exchange made, as a second agent (not the requestor). */
  private static AuditEvent.AuditEventAgentComponent partnerAgent(AuditEvent event, String tenantId) {
    AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(false);
    Reference who = new Reference();
    who.getIdentifier().setSystem(TENANT).setValue(tenantId);
    agent.setWho(who);
    return agent;
  }

  private static void patientEntity(AuditEvent event, UUID patient) {
    event.addEntity().setWhat(new Reference("Patient/" + patient)).setType(new Coding(ENTITY_TYPE, "1", "Person"))
        .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
  }

  /** The FHIR action of a stored one, by its verb ({@code patient.read}: R). */
  static AuditEventAction action(String stored) {
    String verb = stored.substring(stored.lastIndexOf('.') + 1);
    if (verb.startsWith("create") || verb.equals("created") || verb.startsWith("add")) {
      return AuditEventAction.C;
    }
    if (verb.startsWith("read") || verb.startsWith("search") || verb.startsWith("list") || verb.startsWith("get")
        || verb.startsWith("view") || verb.equals("access_log") || verb.startsWith("export")) {
      return AuditEventAction.R;
    }
    if (verb.startsWith("update")) {
      return AuditEventAction.U;
    }
    if (verb.startsWith("delete") || verb.startsWith("remove")) {
      return AuditEventAction.D;
    }
    return AuditEventAction.E;
  }
}
