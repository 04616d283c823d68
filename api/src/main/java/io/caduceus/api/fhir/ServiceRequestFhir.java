package io.caduceus.api.fhir;

import io.caduceus.api.lab.LabOrder;
import io.caduceus.api.lab.LabOrderService;
import io.caduceus.api.lab.LabOrderStatus;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * {@code ServiceRequest}: a lab order (either copy: a clinic's outgoing order, a lab's incoming one), read with the
 * permission and audit of {@code GET /v1/lab-orders/{id}}; the orderer is named by name and NPI as the requisition
 * carries them.
 */
public final class ServiceRequestFhir extends ChartEntryFhir<ServiceRequest> {

  static final String NPI = "http://hl7.org/fhir/sid/us-npi";
  private static final String STATUS = "http://hl7.org/fhir/request-status";
  private static final Map<String, List<LabOrderStatus>> STATUSES = Map.of(
      "active", List.of(LabOrderStatus.SENT, LabOrderStatus.RECEIVED, LabOrderStatus.SPECIMEN_COLLECTED,
          LabOrderStatus.IN_PROGRESS),
      "completed", List.of(LabOrderStatus.RESULTED),
      "revoked", List.of(LabOrderStatus.CANCELLED));

  private final LabOrderService orders;
  private final LabOrderSearch search;

  public ServiceRequestFhir(LabOrderService orders, Cursors cursors) {
    super("ServiceRequest", ServiceRequest.class);
    this.orders = orders;
    this.search = new LabOrderSearch(orders, cursors);
  }

  @Override
  List<SearchParameter> parameters() {
    return List.of(
        new SearchParameter("status", SearchParamType.TOKEN, "active, completed (resulted) or revoked (cancelled)"),
        new SearchParameter("code", SearchParamType.TOKEN, "The LOINC code of an ordered test"),
        new SearchParameter("authored", SearchParamType.DATE, "When the order was placed (prefixes)"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the order last changed"));
  }

  /** Its encounter, when it was ordered in one (not a search parameter: an order is found by its patient). */
  @Override
  List<String> includedReferences() {
    return List.of("encounter");
  }

  @Override
  Reference subject(ServiceRequest resource) {
    return resource.getSubject();
  }

  @Override
  List<String> otherReferences(ServiceRequest resource, String parameter) {
    return resource.hasEncounter() ? List.of(resource.getEncounter().getReference()) : List.of();
  }

  @Override
  public Future<ServiceRequest> read(TenantContext ctx, String id) {
    return orders.get(ctx, FhirHandlers.uuid(id, "service request")).map(ServiceRequestFhir::of);
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    return search.search(ctx, name(), query, "authored", STATUS, STATUSES, ServiceRequestFhir::of);
  }

  /** A lab order as a FHIR ServiceRequest. */
  static ServiceRequest of(LabOrder o) {
    ServiceRequest r = new ServiceRequest();
    r.setId(o.id().toString());
    r.getMeta().setVersionId(String.valueOf(o.version()))
        .setLastUpdatedElement(new InstantType(Date.from(o.updatedAt())));
    r.setStatus(switch (o.status()) {
      case RESULTED -> ServiceRequest.ServiceRequestStatus.COMPLETED;
      case CANCELLED -> ServiceRequest.ServiceRequestStatus.REVOKED;
      default -> ServiceRequest.ServiceRequestStatus.ACTIVE;
    });
    r.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    r.addCategory().addCoding().setSystem("http://snomed.info/sct").setCode("108252007")
        .setDisplay("Laboratory procedure");
    r.setPriority(switch (o.priority()) {
      case "urgent" -> ServiceRequest.ServiceRequestPriority.URGENT;
      case "stat" -> ServiceRequest.ServiceRequestPriority.STAT;
      default -> ServiceRequest.ServiceRequestPriority.ROUTINE;
    });
    r.setCode(DiagnosticReportFhir.tests(o));
    r.setSubject(new Reference("Patient/" + o.patientId()));
    if (o.encounterId() != null) {
      r.setEncounter(new Reference("Encounter/" + o.encounterId()));
    }
    r.setAuthoredOn(Date.from(o.createdAt()));
    Reference requester = new Reference().setDisplay(o.ordererName());
    if (o.ordererNpi() != null) {
      requester.getIdentifier().setSystem(NPI).setValue(o.ordererNpi());
    }
    r.setRequester(requester);
    if (o.note() != null) {
      r.addNote().setText(o.note());
    }
    return r;
  }

  /** The display of an ordered test, or its code. */
  static String display(JsonObject test) {
    return test.getString("display", test.getString("code"));
  }
}
