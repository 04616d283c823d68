package io.caduceus.api.fhir;

import io.caduceus.api.encounter.EncounterFilter;
import io.caduceus.api.encounter.EncounterService;
import io.caduceus.api.encounter.EncounterStatus;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Encounter}: a visit's header as {@code GET /v1/encounters/{id}} shows it to anyone who may read encounters
 * (its clinical content is read as Observation, Condition and Procedure); a patient sees their own once signed. Its
 * earlier versions (V27) are served by vread and history, each shown to whoever may read the current one.
 */
public final class EncounterFhir extends ChartEntryFhir<Encounter> {

  private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

  private final EncounterService encounters;
  private final Cursors cursors;

  public EncounterFhir(EncounterService encounters, Cursors cursors) {
    super("Encounter", Encounter.class);
    this.encounters = encounters;
    this.cursors = cursors;
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.VREAD, Interaction.HISTORY, Interaction.SEARCH);
  }

  @Override
  List<SearchParameter> parameters() {
    return List.of(
        new SearchParameter("date", SearchParamType.DATE, "When the visit was opened (prefixes ge, gt, le, lt, eq)"),
        new SearchParameter("status", SearchParamType.TOKEN, "in-progress (open) or finished (signed)"),
        new SearchParameter("practitioner", SearchParamType.REFERENCE, "The practitioner seen"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the encounter last changed"));
  }

  @Override
  List<String> includedReferences() {
    return List.of("practitioner");
  }

  @Override
  Reference subject(Encounter resource) {
    return resource.getSubject();
  }

  @Override
  List<String> otherReferences(Encounter resource, String parameter) {
    return resource.getParticipant().stream().map(p -> p.getIndividual().getReference()).toList();
  }

  @Override
  public Future<Encounter> read(TenantContext ctx, String id) {
    return encounters.get(ctx, FhirHandlers.uuid(id, "encounter")).map(EncounterFhir::of);
  }

  /** Earlier versions are the encounter's header as it was, shown to whoever may read it now, as its read is. */
  @Override
  public Future<List<IBaseResource>> history(TenantContext ctx, String id, VersionRange range) {
    return encounters.versions(ctx, FhirHandlers.uuid(id, "encounter"), range)
        .map(versions -> versions.stream().<IBaseResource>map(EncounterFhir::of).toList());
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    ClinicalSearch.noModifiers(query);
    List<UUID> patients = ClinicalSearch.patients(query);
    List<UUID> practitioner = ClinicalSearch.reference(query, "practitioner", "Practitioner");
    List<String> status = ClinicalSearch.codes(query, "status", "http://hl7.org/fhir/encounter-status");
    EncounterStatus wanted = null;
    if (status != null) {
      boolean open = status.contains("in-progress");
      boolean signed = status.contains("finished");
      if (!open && !signed) {
        return ClinicalSearch.empty();
      }
      wanted = open && signed ? null : open ? EncounterStatus.OPEN : EncounterStatus.SIGNED;
    }
    if (ClinicalSearch.matchesNothing(patients, practitioner)) {
      return ClinicalSearch.empty();
    }
    FhirQuery.DateRange opened = ClinicalSearch.range(query, "date");
    FhirQuery.DateRange updated = ClinicalSearch.range(query, "_lastUpdated");
    EncounterFilter filter = new EncounterFilter(patients, wanted, practitioner == null ? null : practitioner.get(0),
        opened == null ? null : opened.from(), opened == null ? null : opened.to(),
        updated == null ? null : updated.from(), updated == null ? null : updated.to());
    return ClinicalSearch.page(cursors, ctx, name(), query,
        (after, limit) -> encounters.search(ctx, filter, after, limit),
        io.caduceus.api.encounter.Encounter::openedAt, io.caduceus.api.encounter.Encounter::id,
        io.caduceus.api.encounter.Encounter::patientId, EncounterFhir::of, () -> encounters.count(ctx, filter));
  }

  /** A {@code /v1} encounter's header as a FHIR Encounter. */
  static Encounter of(io.caduceus.api.encounter.Encounter e) {
    Encounter encounter = new Encounter();
    encounter.setId(e.id().toString());
    encounter.getMeta().setVersionId(String.valueOf(e.version()))
        .setLastUpdatedElement(new InstantType(Date.from(e.updatedAt())));
    encounter.setStatus(e.signed() ? Encounter.EncounterStatus.FINISHED : Encounter.EncounterStatus.INPROGRESS);
    boolean virtual = e.modality() != null && !e.modality().equals("in_person");
    encounter.getClass_().setSystem(ACT_CODE).setCode(virtual ? "VR" : "AMB")
        .setDisplay(virtual ? "virtual" : "ambulatory");
    encounter.setSubject(new Reference("Patient/" + e.patientId()));
    encounter.addParticipant().setIndividual(new Reference("Practitioner/" + e.practitionerId()));
    encounter.addAppointment(new Reference("Appointment/" + e.appointmentId()));
    encounter.getPeriod().setStart(Date.from(e.openedAt()));
    if (e.signedAt() != null) {
      encounter.getPeriod().setEnd(Date.from(e.signedAt()));
    }
    return encounter;
  }
}
