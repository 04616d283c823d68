package io.caduceus.api.fhir;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.connector.ImportedResourceFilter;
import io.caduceus.api.connector.ImportedResourceService;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.prescription.Prescription;
import io.caduceus.api.prescription.PrescriptionService;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestIntent;
import org.hl7.fhir.r4.model.MedicationRequest.MedicationRequestStatus;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code MedicationRequest}: a prescription as this tenant holds it, the clinic's copy it wrote or the pharmacy's
 * copy it fills, each in its own tenant with its own id (one never names the other's). Read and searched through
 * {@link PrescriptionService} like {@code /v1/prescriptions}, with its permission and audit ({@code prescription.read},
 * {@code prescription.search}). The medication is RxNorm-coded. MedicationRequests imported from a connected EHR are
 * read and listed with them, oldest first ({@link ImportedFhir}).
 */
public final class MedicationRequestFhir implements FhirType {

  /** The RxNorm code system. */
  static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
  private static final String UCUM = "http://unitsofmeasure.org";

  /** The FHIR statuses and the stored ones each stands for. */
  private static final Map<String, List<String>> STATUSES = Map.of(
      "active", List.of("sent", "received", "dispensed"),
      "completed", List.of("completed"),
      "cancelled", List.of("cancelled"));

  private final PrescriptionService prescriptions;
  private final Cursors cursors;
  private final ImportedFhir imported;

  public MedicationRequestFhir(PrescriptionService prescriptions, Cursors cursors, ImportedFhir imported) {
    this.prescriptions = prescriptions;
    this.cursors = cursors;
    this.imported = imported;
  }

  @Override
  public String name() {
    return "MedicationRequest";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient the medication is for"),
        new SearchParameter("subject", SearchParamType.REFERENCE, "The same as patient"),
        new SearchParameter("status", SearchParamType.TOKEN, "active, completed or cancelled"),
        new SearchParameter("intent", SearchParamType.TOKEN, "Always order"),
        new SearchParameter("authoredon", SearchParamType.DATE, "When the prescription was written"),
        new SearchParameter("code", SearchParamType.TOKEN, "The medication's RxNorm code"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the prescription last changed"));
  }

  @Override
  public List<String> includes() {
    return List.of("MedicationRequest:patient", "MedicationRequest:subject");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    MedicationRequest request = (MedicationRequest) resource;
    return switch (searchParameter) {
      case "patient", "subject" -> List.of(request.getSubject().getReference());
      default -> List.of();
    };
  }

  @Override
  public Future<IBaseResource> read(TenantContext ctx, String id) {
    UUID uuid = FhirHandlers.uuid(id, "medication request");
    return prescriptions.get(ctx, uuid).<IBaseResource>map(MedicationRequestFhir::of)
        .recover(e -> e instanceof NotFound ? imported.read(ctx, name(), uuid) : Future.failedFuture(e));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    SearchValues.limit(query);
    boolean anOrder = SearchValues.codes(query, "intent", "http://hl7.org/fhir/CodeSystem/medicationrequest-intent")
        .map(intents -> intents.contains("order")).orElse(true);
    List<String> statuses = anOrder ? SearchValues.tokens(query, "status",
        "http://hl7.org/fhir/CodeSystem/medicationrequest-status", STATUSES).orElse(null) : List.of();
    FhirQuery.DateRange authored = SearchValues.dates(query, "authoredon");
    FhirQuery.DateRange updated = SearchValues.dates(query, "_lastUpdated");
    List<UUID> patients = SearchValues.ids(query, "Patient", "patient", "subject").orElse(null);
    RecordSearch search = new RecordSearch(patients, statuses, SearchValues.codes(query, "code", RXNORM).orElse(null),
        SearchValues.from(authored), SearchValues.to(authored), SearchValues.from(updated), SearchValues.to(updated));
    ImportedResourceFilter importedFilter = importedFilter(ctx, query, patients, authored, updated);
    return ClinicalSearch.page(cursors, ctx, name(), query, (after, size) -> prescriptions
            .searchAfter(ctx, search, after, size)
            .map(found -> found.stream().map(p -> new ImportedFhir.Match(p.createdAt(), p.id(), p.patientId(), of(p)))
                .toList())
            .compose(found -> imported.search(ctx, importedFilter, after, size, true)
                .map(more -> ImportedFhir.merge(found, more, size, true))),
        ImportedFhir.Match::at, ImportedFhir.Match::id, ImportedFhir.Match::patient, ImportedFhir.Match::resource,
        () -> prescriptions.count(ctx, search).compose(n -> imported.count(ctx, importedFilter).map(m -> n + m)));
  }

  /**
   * What the search asks of imported MedicationRequests (status and intent as the source gave them, codes in any
   * system, {@code authoredon} over the source's authoredOn, {@code _lastUpdated} over our copy), or null when the
   * caller may not read prescriptions (the native search answers 403) or clinical data.
   */
  private ImportedResourceFilter importedFilter(TenantContext ctx, FhirQuery query, List<UUID> patients,
                                               FhirQuery.DateRange authored, FhirQuery.DateRange updated) {
    if (!Access.has(ctx, Permission.PRESCRIPTION_READ) || !ImportedResourceService.mayRead(ctx)) {
      return null;
    }
    return new ImportedResourceFilter(name(), patients, ImportedFhir.codings(query, "code"), null,
        ImportedFhir.codes(query, "status", "http://hl7.org/fhir/CodeSystem/medicationrequest-status"),
        ImportedFhir.codes(query, "intent", "http://hl7.org/fhir/CodeSystem/medicationrequest-intent"),
        ImportedFhir.from(authored), ImportedFhir.to(authored), ImportedFhir.from(updated), ImportedFhir.to(updated));
  }

  /** A prescription as a MedicationRequest. */
  static MedicationRequest of(Prescription p) {
    MedicationRequest request = new MedicationRequest();
    request.setId(p.id().toString());
    request.getMeta().setVersionId(String.valueOf(p.version())).setLastUpdated(Date.from(p.updatedAt()));
    request.setStatus(switch (p.status()) {
      case SENT, RECEIVED, DISPENSED -> MedicationRequestStatus.ACTIVE;
      case COMPLETED -> MedicationRequestStatus.COMPLETED;
      case CANCELLED -> MedicationRequestStatus.CANCELLED;
    });
    request.setIntent(MedicationRequestIntent.ORDER);
    request.setMedication(medication(p.medication()));
    request.setSubject(new Reference("Patient/" + p.patientId()));
    if (p.outgoing() && p.encounterId() != null) {
      request.setEncounter(new Reference("Encounter/" + p.encounterId()));
    }
    request.setAuthoredOnElement(new DateTimeType(Date.from(p.createdAt())));
    request.setRequester(prescriber(p.prescriberName(), p.prescriberNpi()));
    request.addDosageInstruction().setText(p.dose() + ", " + p.frequency());
    MedicationRequest.MedicationRequestDispenseRequestComponent dispense = request.getDispenseRequest();
    dispense.getQuantity().setValue(p.quantity());
    dispense.setNumberOfRepeatsAllowed(p.refills());
    dispense.setExpectedSupplyDuration((Duration) new Duration().setValue(p.daysSupply()).setUnit("days")
        .setSystem(UCUM).setCode("d"));
    if (p.note() != null && !p.note().isBlank()) {
      request.addNote().setText(p.note());
    }
    return request;
  }

  /** What is prescribed, RxNorm-coded. */
  static CodeableConcept medication(io.caduceus.api.prescription.Medication m) {
    CodeableConcept concept = new CodeableConcept().setText(m.display());
    concept.addCoding().setSystem(RXNORM).setCode(m.rxnorm()).setDisplay(m.display());
    return concept;
  }

  /** The prescriber by name and NPI (a user of the clinic, not a resource of the facade). */
  private static Reference prescriber(String name, String npi) {
    Reference reference = new Reference().setDisplay(name);
    if (npi != null) {
      reference.getIdentifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue(npi);
    }
    return reference;
  }
}
