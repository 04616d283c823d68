package io.caduceus.api.fhir;

import io.caduceus.api.encounter.ChartEntry;
import io.caduceus.api.encounter.ChartEntryService;
import io.caduceus.api.encounter.ChartFilter;
import io.caduceus.api.encounter.ChartSection;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Condition}: an encounter's ICD-10 diagnoses, read as {@code GET /v1/encounters/{id}} shows them (clinical
 * readers and billing; a patient's own once the encounter is signed). A diagnosis is recorded in a visit and stays
 * on the chart: it is active and confirmed, an encounter diagnosis.
 */
public final class ConditionFhir implements FhirType {

  static final String ICD10 = "http://hl7.org/fhir/sid/icd-10";
  private static final String CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical";

  private final ChartEntryService entries;
  private final Cursors cursors;

  public ConditionFhir(ChartEntryService entries, Cursors cursors) {
    this.entries = entries;
    this.cursors = cursors;
  }

  @Override
  public String name() {
    return "Condition";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient (ids separated by commas: any)"),
        new SearchParameter("subject", SearchParamType.REFERENCE, "The patient, as Patient/id"),
        new SearchParameter("code", SearchParamType.TOKEN, "An ICD-10 code (http://hl7.org/fhir/sid/icd-10|code)"),
        new SearchParameter("clinical-status", SearchParamType.TOKEN, "active (every diagnosis recorded here)"),
        new SearchParameter("encounter", SearchParamType.REFERENCE, "The encounter"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the diagnosis was recorded"));
  }

  @Override
  public List<String> includes() {
    return List.of("Condition:patient", "Condition:subject", "Condition:encounter");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    Condition c = (Condition) resource;
    return switch (searchParameter) {
      case "patient", "subject" -> List.of(c.getSubject().getReference());
      case "encounter" -> List.of(c.getEncounter().getReference());
      default -> List.of();
    };
  }

  @Override
  public Future<Condition> read(TenantContext ctx, String id) {
    return entries.get(ctx, ChartSection.DIAGNOSES, FhirHandlers.uuid(id, "condition")).map(ConditionFhir::of);
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    ClinicalSearch.noModifiers(query);
    List<UUID> patients = ClinicalSearch.patients(query);
    List<UUID> encounter = ClinicalSearch.reference(query, "encounter", "Encounter");
    List<String> codes = ClinicalSearch.codes(query, "code", ICD10);
    List<String> status = ClinicalSearch.codes(query, "clinical-status", CLINICAL);
    if (status != null && !status.contains("active")) {
      status = List.of();
    }
    if (ClinicalSearch.matchesNothing(patients, encounter, codes, status)) {
      return ClinicalSearch.empty();
    }
    FhirQuery.DateRange updated = ClinicalSearch.range(query, "_lastUpdated");
    ChartFilter filter = new ChartFilter(patients, encounter == null ? null : encounter.get(0), codes,
        updated == null ? null : updated.from(), updated == null ? null : updated.to());
    return ClinicalSearch.page(cursors, ctx, name(), query,
        (after, limit) -> entries.search(ctx, ChartSection.DIAGNOSES, filter, after, limit),
        ChartEntry::recordedAt, ChartEntry::id, ChartEntry::patientId, ConditionFhir::of,
        () -> entries.count(ctx, ChartSection.DIAGNOSES, filter));
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
