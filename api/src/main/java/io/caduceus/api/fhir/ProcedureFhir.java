package io.caduceus.api.fhir;

import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.ChartEntryService;
import io.caduceus.api.encounter.ChartFilter;
import io.caduceus.api.encounter.ChartSection;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * {@code Procedure}: an encounter's CPT procedures, read as {@code GET /v1/encounters/{id}} shows them (clinical
 * readers and billing; a patient's own once the encounter is signed); each was performed (completed) in the visit.
 */
public final class ProcedureFhir extends ChartEntryFhir<Procedure> {

  static final String CPT = "http://www.ama-assn.org/go/cpt";

  private final ChartEntryService entries;
  private final Cursors cursors;

  public ProcedureFhir(ChartEntryService entries, Cursors cursors) {
    super("Procedure", Procedure.class);
    this.entries = entries;
    this.cursors = cursors;
  }

  @Override
  List<SearchParameter> parameters() {
    return List.of(
        new SearchParameter("code", SearchParamType.TOKEN, "A CPT code (http://www.ama-assn.org/go/cpt|code)"),
        new SearchParameter("date", SearchParamType.DATE, "When it was performed (recorded), with prefixes"),
        new SearchParameter("encounter", SearchParamType.REFERENCE, "The encounter"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the procedure was recorded"));
  }

  @Override
  List<String> includedReferences() {
    return List.of("encounter");
  }

  @Override
  Reference subject(Procedure resource) {
    return resource.getSubject();
  }

  @Override
  List<String> otherReferences(Procedure resource, String parameter) {
    return List.of(resource.getEncounter().getReference());
  }

  @Override
  public Future<Procedure> read(TenantContext ctx, String id) {
    return entries.get(ctx, ChartSection.PROCEDURES, FhirHandlers.uuid(id, "procedure")).map(ProcedureFhir::of);
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    ClinicalSearch.noModifiers(query);
    List<UUID> patients = ClinicalSearch.patients(query);
    List<UUID> encounter = ClinicalSearch.reference(query, "encounter", "Encounter");
    List<String> codes = ClinicalSearch.codes(query, "code", CPT);
    if (ClinicalSearch.matchesNothing(patients, encounter, codes)) {
      return ClinicalSearch.empty();
    }
    FhirQuery.DateRange date = ClinicalSearch.range(query, "date", "_lastUpdated");
    ChartFilter filter = new ChartFilter(patients, encounter == null ? null : encounter.get(0), codes,
        date == null ? null : date.from(), date == null ? null : date.to());
    return ClinicalSearch.page(cursors, ctx, name(), query,
        (after, limit) -> entries.search(ctx, ChartSection.PROCEDURES, filter, after, limit),
        ChartEntry::recordedAt, ChartEntry::id, ChartEntry::patientId, ProcedureFhir::of,
        () -> entries.count(ctx, ChartSection.PROCEDURES, filter));
  }

  /** A procedure performed in a visit as a FHIR Procedure. */
  static Procedure of(ChartEntry e) {
    Procedure p = new Procedure();
    p.setId(e.id().toString());
    p.getMeta().setVersionId("1").setLastUpdatedElement(new InstantType(Date.from(e.recordedAt())));
    p.setStatus(Procedure.ProcedureStatus.COMPLETED);
    p.getCode().addCoding().setSystem(CPT).setCode(e.code()).setDisplay(e.display());
    if (e.display() != null) {
      p.getCode().setText(e.display());
    }
    p.setSubject(new Reference("Patient/" + e.patientId()));
    p.setEncounter(new Reference("Encounter/" + e.encounterId()));
    p.setPerformed(new DateTimeType(Date.from(e.recordedAt())));
    return p;
  }
}
