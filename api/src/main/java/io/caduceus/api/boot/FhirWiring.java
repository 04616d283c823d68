package io.caduceus.api.boot;

import io.caduceus.api.audit.AuditService;
import io.caduceus.api.auth.UserRepository;
import io.caduceus.api.connector.ImportedResourceService;
import io.caduceus.api.encounter.ChartEntryService;
import io.caduceus.api.fhir.AllergyIntoleranceFhir;
import io.caduceus.api.fhir.AppointmentFhir;
import io.caduceus.api.fhir.AuditEventFhir;
import io.caduceus.api.fhir.ClaimFhir;
import io.caduceus.api.fhir.ClaimResponseFhir;
import io.caduceus.api.fhir.ConditionFhir;
import io.caduceus.api.fhir.CoverageFhir;
import io.caduceus.api.fhir.DiagnosticReportFhir;
import io.caduceus.api.fhir.EncounterFhir;
import io.caduceus.api.fhir.FhirHandlers;
import io.caduceus.api.fhir.FhirModel;
import io.caduceus.api.fhir.FhirType;
import io.caduceus.api.fhir.FhirTypes;
import io.caduceus.api.fhir.ImportedFhir;
import io.caduceus.api.fhir.LocationFhir;
import io.caduceus.api.fhir.MedicationDispenseFhir;
import io.caduceus.api.fhir.MedicationRequestFhir;
import io.caduceus.api.fhir.ObservationFhir;
import io.caduceus.api.fhir.OrganizationFhir;
import io.caduceus.api.fhir.PatientFhir;
import io.caduceus.api.fhir.PractitionerFhir;
import io.caduceus.api.fhir.ProcedureFhir;
import io.caduceus.api.fhir.ServiceRequestFhir;
import io.caduceus.api.fhir.bulk.BulkGroupFhir;
import io.caduceus.api.http.Operations;
import io.caduceus.api.lab.LabResultService;
import io.caduceus.api.ops.ServerUrl;
import io.caduceus.api.organisation.FacilityService;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.portal.AccessActors;

import java.util.ArrayList;
import java.util.List;

/**
 * The FHIR R4 facade: HAPI's model (loaded at the first FHIR request) and one {@link FhirType} per resource type,
 * each over the services {@code /v1} uses.
 */
final class FhirWiring {

  final FhirModel model;
  final FhirTypes types;
  private final Cursors cursors;

  FhirWiring(Shared shared, ClinicalWiring clinical, BillingWiring billing, AuditService audits,
             FacilityService facilities) {
    this.model = new FhirModel(shared.vertx());
    ImportedFhir imported = new ImportedFhir(new ImportedResourceService(shared.db()), model);
    this.cursors = shared.cursors();
    List<FhirType> all = new ArrayList<>();
    all.addAll(coreTypes(shared, clinical, facilities));
    all.addAll(clinicalTypes(shared, clinical, imported));
    all.addAll(recordTypes(shared, clinical, billing, audits, imported));
    all.add(new BulkGroupFhir());
    this.types = new FhirTypes(all);
    model.serves(all.stream().map(FhirType::name).toList());
  }

  /** Patient, Practitioner, Organization, Location, Appointment. */
  private static List<FhirType> coreTypes(Shared shared, ClinicalWiring clinical, FacilityService facilities) {
    return List.of(new PatientFhir(clinical.patients), new PractitionerFhir(clinical.practitioners),
        new AppointmentFhir(clinical.appointments), new OrganizationFhir(shared.catalog()),
        new LocationFhir(facilities));
  }

  /** Encounter, Observation, DiagnosticReport, Condition, Procedure, ServiceRequest. */
  private static List<FhirType> clinicalTypes(Shared shared, ClinicalWiring clinical, ImportedFhir imported) {
    ChartEntryService entries = new ChartEntryService(shared.db());
    return List.of(new EncounterFhir(clinical.encounters, shared.cursors()),
        new ObservationFhir(entries, new LabResultService(shared.db()), clinical.encounters, shared.cursors(),
            imported),
        new DiagnosticReportFhir(clinical.labOrders, shared.cursors()),
        new ConditionFhir(entries, shared.cursors(), imported), new ProcedureFhir(entries, shared.cursors()),
        new ServiceRequestFhir(clinical.labOrders, shared.cursors()));
  }

  /**
   * MedicationRequest, MedicationDispense, AllergyIntolerance, Coverage, Claim, ClaimResponse, AuditEvent.
   */
  private static List<FhirType> recordTypes(Shared shared, ClinicalWiring clinical, BillingWiring billing,
                                            AuditService audits, ImportedFhir imported) {
    return List.of(new MedicationRequestFhir(clinical.prescriptions, shared.cursors(), imported),
        new MedicationDispenseFhir(clinical.prescriptions), new CoverageFhir(billing.coverages),
        new ClaimFhir(billing.claims), new ClaimResponseFhir(billing.claims),
        new AllergyIntoleranceFhir(clinical.patients, shared.cursors()),
        new AuditEventFhir(audits, new AccessActors(new UserRepository(shared.controlPlane()),
            shared.catalog())));
  }

  /** Binds {@code /fhir/r4}. */
  void bind(Operations ops, ServerUrl serverUrl) {
    new FhirHandlers(model, types, serverUrl, cursors).bind(ops);
  }
}
