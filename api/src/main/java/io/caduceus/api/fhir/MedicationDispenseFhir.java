package io.caduceus.api.fhir;

import io.caduceus.api.prescription.Dispense;
import io.caduceus.api.prescription.PrescriptionService;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.MedicationDispense;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.SimpleQuantity;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code MedicationDispense}: one fill of a prescription, as the pharmacy recorded it (and the clinic learned of it).
 * {@code authorizingPrescription} is always this tenant's own copy of the prescription: a pharmacy's fill names the
 * pharmacy's MedicationRequest, never the clinic's, whose id it does not show. Read and searched through
 * {@link PrescriptionService} with the prescription's permission and audit ({@code prescription.read},
 * {@code prescription.search}).
 */
public final class MedicationDispenseFhir implements FhirType {

  private static final Map<String, List<String>> STATUSES = Map.of("completed", List.of("completed"));

  private final PrescriptionService prescriptions;

  public MedicationDispenseFhir(PrescriptionService prescriptions) {
    this.prescriptions = prescriptions;
  }

  @Override
  public String name() {
    return "MedicationDispense";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient the medication was dispensed to"),
        new SearchParameter("subject", SearchParamType.REFERENCE, "The same as patient"),
        new SearchParameter("status", SearchParamType.TOKEN, "Always completed (a fill is recorded once done)"),
        new SearchParameter("prescription", SearchParamType.REFERENCE, "The MedicationRequest the fill is of"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the medication was dispensed"));
  }

  @Override
  public List<String> includes() {
    return List.of("MedicationDispense:patient", "MedicationDispense:subject", "MedicationDispense:prescription");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    MedicationDispense dispense = (MedicationDispense) resource;
    return switch (searchParameter) {
      case "patient", "subject" -> List.of(dispense.getSubject().getReference());
      case "prescription" -> dispense.getAuthorizingPrescription().stream().map(Reference::getReference)
          .filter(r -> r != null).toList();
      default -> List.of();
    };
  }

  @Override
  public Future<MedicationDispense> read(TenantContext ctx, String id) {
    return prescriptions.dispense(ctx, FhirHandlers.uuid(id, "medication dispense")).map(MedicationDispenseFhir::of);
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    int limit = SearchValues.limit(query);
    FhirQuery.DateRange updated = SearchValues.dates(query, "_lastUpdated");
    RecordSearch search = new RecordSearch(SearchValues.ids(query, "Patient", "patient", "subject").orElse(null),
        SearchValues.tokens(query, "status", "http://terminology.hl7.org/CodeSystem/medicationdispense-status",
            STATUSES).orElse(null),
        SearchValues.ids(query, "MedicationRequest", "prescription").orElse(null), null, null,
        SearchValues.from(updated), SearchValues.to(updated));
    if (query.summaryCount()) {
      return prescriptions.countDispenses(ctx, search).map(FhirPage::count);
    }
    return prescriptions.dispenses(ctx, search, limit, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(MedicationDispenseFhir::of).toList(), page.nextCursor()));
  }

  /** A fill as a MedicationDispense. */
  static MedicationDispense of(Dispense d) {
    MedicationDispense dispense = new MedicationDispense();
    dispense.setId(d.id().toString());
    dispense.getMeta().setVersionId("1").setLastUpdated(Date.from(d.dispensedAt()));
    dispense.setStatus(MedicationDispense.MedicationDispenseStatus.COMPLETED);
    dispense.setMedication(MedicationRequestFhir.medication(d.medication()));
    dispense.setSubject(new Reference("Patient/" + d.patientId()));
    dispense.addAuthorizingPrescription(new Reference("MedicationRequest/" + d.prescriptionId()));
    dispense.getQuantity().setValue(d.quantity());
    dispense.setDaysSupply((SimpleQuantity) new SimpleQuantity().setValue(d.daysSupply()).setUnit("days")
        .setSystem("http://unitsofmeasure.org").setCode("d"));
    dispense.setWhenHandedOverElement(new DateTimeType(Date.from(d.dispensedAt())));
    dispense.addDosageInstruction().setText(d.dose() + ", " + d.frequency());
    dispense.addNote().setText("Fill " + d.fillNumber() + ", lot " + d.lot());
    return dispense;
  }
}
