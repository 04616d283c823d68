package io.caduceus.api.fhir;

import io.caduceus.api.lab.LabOrder;
import io.caduceus.api.lab.LabOrderFilter;
import io.caduceus.api.lab.LabOrderService;
import io.caduceus.api.lab.LabOrderStatus;
import io.caduceus.api.paging.Cursors;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The search of lab orders that ServiceRequest and DiagnosticReport share: {@code patient}, {@code status} (each
 * type's own status codes, mapped onto the order's), {@code code} (a LOINC code of an ordered test), a date
 * parameter over the order's creation and {@code _lastUpdated}.
 */
final class LabOrderSearch {

  private final LabOrderService orders;
  private final Cursors cursors;

  LabOrderSearch(LabOrderService orders, Cursors cursors) {
    this.orders = orders;
    this.cursors = cursors;
  }

  /** One page; {@code statuses} maps the type's status codes onto the orders' statuses. */
  Future<FhirPage> search(TenantContext ctx, String type, FhirQuery query, String dateParameter, String statusSystem,
                          Map<String, List<LabOrderStatus>> statuses, Function<LabOrder, IBaseResource> resource) {
    ClinicalSearch.noModifiers(query);
    List<UUID> patients = ClinicalSearch.patients(query);
    List<String> codes = ClinicalSearch.codes(query, "code", ObservationMapping.LOINC);
    List<String> statusCodes = ClinicalSearch.codes(query, "status", statusSystem);
    List<LabOrderStatus> wanted = null;
    if (statusCodes != null) {
      wanted = new ArrayList<>();
      for (String code : statusCodes) {
        wanted.addAll(statuses.getOrDefault(code, List.of()));
      }
    }
    if (ClinicalSearch.matchesNothing(patients, codes, wanted)) {
      return ClinicalSearch.empty();
    }
    FhirQuery.DateRange created = ClinicalSearch.range(query, dateParameter);
    FhirQuery.DateRange updated = ClinicalSearch.range(query, "_lastUpdated");
    LabOrderFilter filter = new LabOrderFilter(patients, wanted, codes, created == null ? null : created.from(),
        created == null ? null : created.to(), updated == null ? null : updated.from(),
        updated == null ? null : updated.to());
    return ClinicalSearch.page(cursors, ctx, type, query, (after, limit) -> orders.search(ctx, filter, after, limit),
        LabOrder::createdAt, LabOrder::id, LabOrder::patientId, resource, () -> orders.count(ctx, filter));
  }
}
