package io.caduceus.api.fhir;

import io.caduceus.api.connector.ImportedResourceFilter;
import io.caduceus.api.connector.ImportedResourceService;
import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.ChartEntryService;
import io.caduceus.api.encounter.ChartFilter;
import io.caduceus.api.encounter.ChartSection;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * {@code Condition}: an encounter's ICD-10 diagnoses, read as {@code GET /v1/encounters/{id}} shows them (clinical
 * readers and billing; a patient's own once the encounter is signed). A diagnosis is recorded in a visit and stays
 * on the chart: it is active and confirmed, an encounter diagnosis. Conditions imported from a connected EHR are
 * read and listed with them ({@link ImportedFhir}).
 */
public final class ConditionFhir extends ChartEntryFhir<Condition> {

  static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
  private static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";

  private final ChartEntryService entries;
  private final Cursors cursors;
  private final ImportedFhir imported;

  public ConditionFhir(ChartEntryService entries, Cursors cursors, ImportedFhir imported) {
    super("Condition", Condition.class);
    this.entries = entries;
    this.cursors = cursors;
    this.imported = imported;
  }

  @Override
  List<SearchParameter> parameters() {
    return List.of(
        new SearchParameter("code", SearchParamType.TOKEN, "An ICD-10 code (http://hl7.org/fhir/sid/icd-10|code)"),
        new SearchParameter("clinical-status", SearchParamType.TOKEN, "active (every diagnosis recorded here)"),
        new SearchParameter("encounter", SearchParamType.REFERENCE, "The encounter"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the diagnosis was recorded"));
  }

  @Override
  List<String> includedReferences() {
    return List.of("encounter");
  }

  @Override
  Reference subject(Condition resource) {
    return resource.getSubject();
  }

  /** An imported Condition may name no encounter of ours. */
  @Override
  List<String> otherReferences(Condition resource, String parameter) {
    return referenceOf(resource.getEncounter());
  }

  @Override
  public Future<IBaseResource> read(TenantContext ctx, String id) {
    UUID uuid = FhirHandlers.uuid(id, "condition");
    return entries.get(ctx, ChartSection.DIAGNOSES, uuid).<IBaseResource>map(ConditionFhir::of)
        .recover(e -> e instanceof NotFound ? imported.read(ctx, name(), uuid) : Future.failedFuture(e));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    ClinicalSearch.noModifiers(query);
    List<UUID> patients = ClinicalSearch.patients(query);
    List<UUID> encounter = ClinicalSearch.reference(query, "encounter", "Encounter");
    List<String> codes = ClinicalSearch.codes(query, "code", ICD10);
    List<String> status = ClinicalSearch.codes(query, "clinical-status", CLINICAL);
    ImportedResourceFilter importedFilter = importedFilter(ctx, query, patients, encounter);
    if (status != null && !status.contains("active")) {
      status = List.of();
    }
    boolean nativeNothing = ClinicalSearch.matchesNothing(patients, encounter, codes, status);
    if (nativeNothing && importedFilter == null) {
      return ClinicalSearch.empty();
    }
    FhirQuery.DateRange updated = ClinicalSearch.range(query, "_lastUpdated");
    ChartFilter filter = new ChartFilter(patients, encounter == null ? null : encounter.get(0), codes,
        updated == null ? null : updated.from(), updated == null ? null : updated.to());
    return ClinicalSearch.page(cursors, ctx, name(), query, (after, limit) -> (nativeNothing
            ? Future.succeededFuture(List.<ImportedFhir.Match>of())
            : entries.search(ctx, ChartSection.DIAGNOSES, filter, after, limit).map(found -> found.stream()
                .map(e -> new ImportedFhir.Match(e.recordedAt(), e.id(), e.patientId(), of(e))).toList()))
        .compose(found -> imported.search(ctx, importedFilter, after, limit, false)
            .map(more -> ImportedFhir.merge(found, more, limit, false))),
        ImportedFhir.Match::at, ImportedFhir.Match::id, ImportedFhir.Match::patient, ImportedFhir.Match::resource,
        () -> (nativeNothing ? Future.succeededFuture(0) : entries.count(ctx, ChartSection.DIAGNOSES, filter))
            .compose(n -> imported.count(ctx, importedFilter).map(m -> n + m)));
  }

  /**
   * What the search asks of imported Conditions (codes in any system, the clinical status as the source gave it,
   * {@code _lastUpdated} over our copy), or null when it cannot include them: the caller may not read diagnoses or
   * clinical data, or it names an encounter (an imported record keeps none of the source's).
   */
  private ImportedResourceFilter importedFilter(TenantContext ctx, FhirQuery query, List<UUID> patients,
                                               List<UUID> encounter) {
    if (encounter != null || !ChartEntryService.mayRead(ctx, ChartSection.DIAGNOSES)
        || !ImportedResourceService.mayRead(ctx)) {
      return null;
    }
    FhirQuery.DateRange updated = ClinicalSearch.range(query, "_lastUpdated");
    return new ImportedResourceFilter(name(), patients, ImportedFhir.codings(query, "code"), null,
        ImportedFhir.codes(query, "clinical-status", CLINICAL), null, null, null, ImportedFhir.from(updated),
        ImportedFhir.to(updated));
  }

  /** A diagnosis as a FHIR Condition. */
  static Condition of(ChartEntry e) {
    Condition c = new Condition();
    c.setId(e.id().toString());
    c.getMeta().setVersionId("1").setLastUpdatedElement(new InstantType(Date.from(e.recordedAt())));
    c.getClinicalStatus().addCoding().setSystem(CLINICAL).setCode("active").setDisplay("Active");
    c.getVerificationStatus().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/condition-ver-status")
        .setCode("confirmed").setDisplay("Confirmed");
    c.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/condition-category")
        .setCode("encounter-diagnosis").setDisplay("Encounter Diagnosis");
    c.getCode().addCoding().setSystem(ICD10).setCode(e.code()).setDisplay(e.display());
    if (e.display() != null) {
      c.getCode().setText(e.display());
    }
    c.setSubject(new Reference("Patient/" + e.patientId()));
    c.setEncounter(new Reference("Encounter/" + e.encounterId()));
    c.setRecordedDate(Date.from(e.recordedAt()));
    return c;
  }
}
