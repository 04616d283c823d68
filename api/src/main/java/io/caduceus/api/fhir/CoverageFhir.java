package io.caduceus.api.fhir;

import io.caduceus.api.billing.BillingView;
import io.caduceus.api.billing.CoverageService;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Coverage}: a member's coverage as the insurer keeps it (the clinic holds none: it asks the insurer for
 * eligibility). Read and searched through {@link CoverageService} like {@code /v1/coverages}, with its permission and
 * audit ({@code coverage.read}, {@code coverage.search}); the payor is the insurer itself, by tenant id.
 */
public final class CoverageFhir implements FhirType {

  private static final Map<String, List<String>> STATUSES = Map.of("active", List.of("active"),
      "cancelled", List.of("inactive"));

  private final CoverageService coverages;

  public CoverageFhir(CoverageService coverages) {
    this.coverages = coverages;
  }

  @Override
  public String name() {
    return "Coverage";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The member (beneficiary)"),
        new SearchParameter("beneficiary", SearchParamType.REFERENCE, "The same as patient"),
        new SearchParameter("status", SearchParamType.TOKEN, "active or cancelled"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the coverage last changed"));
  }

  @Override
  public List<String> includes() {
    return List.of("Coverage:patient", "Coverage:beneficiary");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    return switch (searchParameter) {
      case "patient", "beneficiary" -> List.of(((Coverage) resource).getBeneficiary().getReference());
      default -> List.of();
    };
  }

  @Override
  public Future<Coverage> read(TenantContext ctx, String id) {
    return coverages.get(ctx, FhirHandlers.uuid(id, "coverage")).map(c -> of(ctx, c));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    int limit = SearchValues.limit(query);
    FhirQuery.DateRange updated = SearchValues.dates(query, "_lastUpdated");
    RecordSearch search = new RecordSearch(
        SearchValues.ids(query, "Patient", "patient", "beneficiary").orElse(null),
        SearchValues.tokens(query, "status", "http://hl7.org/fhir/fm-status", STATUSES).orElse(null), null, null,
        null, SearchValues.from(updated), SearchValues.to(updated));
    if (query.summaryCount()) {
      return coverages.count(ctx, search).map(FhirPage::count);
    }
    return coverages.search(ctx, search, limit, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(c -> of(ctx, c)).toList(), page.nextCursor()));
  }

  /** A coverage (its {@code /v1} view) as a FHIR Coverage. */
  static Coverage of(TenantContext ctx, BillingView view) {
    JsonObject json = view.json();
    Coverage coverage = new Coverage();
    coverage.setId(view.id().toString());
    coverage.getMeta().setVersionId(String.valueOf(view.version()))
        .setLastUpdatedElement(new InstantType(json.getString("updatedAt")));
    coverage.setStatus("active".equals(json.getString("status")) ? Coverage.CoverageStatus.ACTIVE
        : Coverage.CoverageStatus.CANCELLED);
    coverage.setBeneficiary(new Reference("Patient/" + view.patientId()));
    coverage.setSubscriberId(json.getString("memberId"));
    coverage.addPayor(ClaimFhir.tenant(ctx.tenantId().toString()));
    coverage.getPeriod().setStartElement(new DateTimeType(json.getString("periodStart")));
    if (json.getString("periodEnd") != null) {
      coverage.getPeriod().setEndElement(new DateTimeType(json.getString("periodEnd")));
    }
    Coverage.ClassComponent plan = coverage.addClass_().setValue(json.getString("plan")).setName(json.getString("plan"));
    plan.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/coverage-class").setCode("plan");
    return coverage;
  }
}
