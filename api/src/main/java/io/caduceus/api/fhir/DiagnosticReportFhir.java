package io.caduceus.api.fhir;

import io.caduceus.api.lab.LabOrder;
import io.caduceus.api.lab.LabOrderService;
import io.caduceus.api.lab.LabOrderStatus;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code DiagnosticReport}: a lab order's report, with the order's id: its results as {@code result} (the
 * laboratory Observations), the order as {@code basedOn} (the ServiceRequest), the lab's report text as
 * {@code conclusion}. Read with the permission and audit of {@code GET /v1/lab-orders/{id}}.
 */
public final class DiagnosticReportFhir implements FhirType {

  private static final String STATUS = "http://hl7.org/fhir/diagnostic-report-status";
  private static final Map<String, List<LabOrderStatus>> STATUSES = Map.of(
      "registered", List.of(LabOrderStatus.SENT, LabOrderStatus.RECEIVED, LabOrderStatus.SPECIMEN_COLLECTED,
          LabOrderStatus.IN_PROGRESS),
      "final", List.of(LabOrderStatus.RESULTED),
      "cancelled", List.of(LabOrderStatus.CANCELLED));

  private final LabOrderService orders;
  private final LabOrderSearch search;

  public DiagnosticReportFhir(LabOrderService orders, Cursors cursors) {
    this.orders = orders;
    this.search = new LabOrderSearch(orders, cursors);
  }

  @Override
  public String name() {
    return "DiagnosticReport";
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
        new SearchParameter("code", SearchParamType.TOKEN, "The LOINC code of an ordered test"),
        new SearchParameter("date", SearchParamType.DATE, "When the order was placed (prefixes)"),
        new SearchParameter("status", SearchParamType.TOKEN, "registered, final (resulted) or cancelled"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the order last changed"));
  }

  @Override
  public List<String> includes() {
    return List.of("DiagnosticReport:patient", "DiagnosticReport:subject", "DiagnosticReport:result",
        "DiagnosticReport:based-on");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    DiagnosticReport r = (DiagnosticReport) resource;
    return switch (searchParameter) {
      case "patient", "subject" -> List.of(r.getSubject().getReference());
      case "result" -> r.getResult().stream().map(Reference::getReference).toList();
      case "based-on" -> r.getBasedOn().stream().map(Reference::getReference).toList();
      default -> List.of();
    };
  }

  @Override
  public Future<DiagnosticReport> read(TenantContext ctx, String id) {
    return orders.get(ctx, FhirHandlers.uuid(id, "diagnostic report")).map(DiagnosticReportFhir::of);
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    return search.search(ctx, name(), query, "date", STATUS, STATUSES, DiagnosticReportFhir::of);
  }

  /** A lab order's report as a FHIR DiagnosticReport. */
  static DiagnosticReport of(LabOrder o) {
    DiagnosticReport r = new DiagnosticReport();
    r.setId(o.id().toString());
    r.getMeta().setVersionId(String.valueOf(o.version()))
        .setLastUpdatedElement(new InstantType(Date.from(o.updatedAt())));
    r.setStatus(switch (o.status()) {
      case RESULTED -> DiagnosticReport.DiagnosticReportStatus.FINAL;
      case CANCELLED -> DiagnosticReport.DiagnosticReportStatus.CANCELLED;
      default -> DiagnosticReport.DiagnosticReportStatus.REGISTERED;
    });
    r.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0074").setCode("LAB")
        .setDisplay("Laboratory");
    r.setCode(tests(o));
    r.setSubject(new Reference("Patient/" + o.patientId()));
    if (o.encounterId() != null) {
      r.setEncounter(new Reference("Encounter/" + o.encounterId()));
    }
    r.addBasedOn(new Reference("ServiceRequest/" + o.id()));
    r.setEffective(new DateTimeType(Date.from(o.createdAt())));
    if (o.status() == LabOrderStatus.RESULTED) {
      r.setIssued(Date.from(o.updatedAt()));
    }
    if (o.results() != null) {
      o.results().forEach(result -> r.addResult(new Reference("Observation/" + ((JsonObject) result).getString("id"))));
    }
    if (o.report() != null) {
      r.setConclusion(o.report());
    }
    return r;
  }

  /** The ordered tests: each a LOINC coding, with their names as the text. */
  static CodeableConcept tests(LabOrder o) {
    CodeableConcept code = new CodeableConcept();
    o.tests().forEach(t -> code.addCoding().setSystem(ObservationMapping.LOINC).setCode(((JsonObject) t).getString("code"))
        .setDisplay(((JsonObject) t).getString("display")));
    return code.setText(o.tests().stream().map(t -> ServiceRequestFhir.display((JsonObject) t))
        .collect(Collectors.joining(", ")));
  }
}
