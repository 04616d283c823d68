package io.caduceus.api.fhir;

import io.caduceus.api.billing.BillingView;
import io.caduceus.api.billing.ClaimService;
import io.caduceus.api.error.NotFound;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Reference;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ClaimResponse}: the insurer's decision on a claim and its payments, as this tenant holds them (the insurer
 * that decided, or the clinic that was told). It has its claim's id, as one claim has one decision, and exists
 * once the claim is decided; {@code request} names the Claim of the same tenant. Read and searched through
 * {@link ClaimService} with the claim's permission and audit ({@code claim.read}, {@code claim.search});
 * {@code created} is the decision's last change (the decision, then each payment).
 */
public final class ClaimResponseFhir implements FhirType {

  /** The stored statuses of a decided claim. */
  private static final List<String> DECIDED = List.of("adjudicated", "paid", "denied");

  private final ClaimService claims;

  public ClaimResponseFhir(ClaimService claims) {
    this.claims = claims;
  }

  @Override
  public String name() {
    return "ClaimResponse";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient the claim bills for"),
        new SearchParameter("status", SearchParamType.TOKEN, "Always active"),
        new SearchParameter("created", SearchParamType.DATE, "When the decision or a payment was last recorded"),
        new SearchParameter("request", SearchParamType.REFERENCE, "The Claim decided"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the decision or a payment was last recorded"));
  }

  @Override
  public List<String> includes() {
    return List.of("ClaimResponse:patient", "ClaimResponse:request");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    ClaimResponse response = (ClaimResponse) resource;
    return switch (searchParameter) {
      case "patient" -> List.of(response.getPatient().getReference());
      case "request" -> List.of(response.getRequest().getReference());
      default -> List.of();
    };
  }

  @Override
  public Future<ClaimResponse> read(TenantContext ctx, String id) {
    return claims.get(ctx, FhirHandlers.uuid(id, "claim response")).map(c -> {
      if (!DECIDED.contains(c.json().getString("status"))) {
        throw new NotFound("the claim is not decided yet");
      }
      return of(ctx, c);
    });
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    int limit = SearchValues.limit(query);
    FhirQuery.DateRange changed = SearchValues.dates(query, "created").and(SearchValues.dates(query, "_lastUpdated"));
    List<String> statuses = SearchValues.tokens(query, "status", "http://hl7.org/fhir/fm-status",
        Map.of("active", DECIDED)).orElse(DECIDED);
    RecordSearch search = new RecordSearch(SearchValues.ids(query, "Patient", "patient").orElse(null), statuses,
        SearchValues.ids(query, "Claim", "request").orElse(null), null, null, SearchValues.from(changed),
        SearchValues.to(changed));
    if (query.summaryCount()) {
      return claims.count(ctx, search).map(FhirPage::count);
    }
    return claims.search(ctx, search, limit, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(c -> of(ctx, c)).toList(), page.nextCursor()));
  }

  /** A decided claim (its {@code /v1} view) as a FHIR ClaimResponse. */
  static ClaimResponse of(TenantContext ctx, BillingView view) {
    JsonObject json = view.json();
    String currency = json.getString("currency");
    ClaimResponse response = new ClaimResponse();
    response.setId(view.id().toString());
    response.getMeta().setVersionId(String.valueOf(view.version()))
        .setLastUpdatedElement(new InstantType(json.getString("updatedAt")));
    response.setStatus(ClaimResponse.ClaimResponseStatus.ACTIVE);
    response.setType(ClaimFhir.professional());
    response.setUse(ClaimResponse.Use.CLAIM);
    response.setPatient(new Reference("Patient/" + view.patientId()));
    response.setCreatedElement(new org.hl7.fhir.r4.model.DateTimeType(json.getString("updatedAt")));
    response.setInsurer(ClaimFhir.tenant(ClaimFhir.insurer(ctx, json)));
    response.setRequest(new Reference("Claim/" + view.id()));
    response.setOutcome(ClaimResponse.RemittanceOutcome.COMPLETE);
    response.setDisposition(json.getString("decision"));
    total(response, "submitted", ClaimFhir.money(json.getLong("totalCents"), currency));
    total(response, "benefit", ClaimFhir.money(json.getLong("approvedCents", 0L), currency));
    payment(response, json, currency);
    JsonArray reasons = json.getJsonArray("reasons", new JsonArray());
    for (int i = 0; i < reasons.size(); i++) {
      JsonObject reason = reasons.getJsonObject(i);
      response.addProcessNote().setNumber(i + 1)
          .setText(reason.getString("code") + (reason.getString("text") == null ? "" : ": " + reason.getString("text")));
    }
    return response;
  }

  private static void total(ClaimResponse response, String category, Money amount) {
    CodeableConcept code = new CodeableConcept();
    code.addCoding().setSystem("http://terminology.hl7.org/CodeSystem/adjudication").setCode(category);
    response.addTotal().setCategory(code).setAmount(amount);
  }

  /** What has been paid so far, dated by the last payment; complete once the approved amount is paid. */
  private static void payment(ClaimResponse response, JsonObject json, String currency) {
    JsonArray payments = json.getJsonArray("payments", new JsonArray());
    if (payments.isEmpty()) {
      return;
    }
    long paid = json.getLong("paidCents", 0L);
    String paidAt = payments.getJsonObject(payments.size() - 1).getString("paidAt");
    ClaimResponse.PaymentComponent payment = response.getPayment()
        .setAmount(ClaimFhir.money(paid, currency))
        .setDateElement(new DateType(paidAt.substring(0, 10)));
    payment.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/ex-paymenttype")
        .setCode("paid".equals(json.getString("status")) ? "complete" : "partial");
  }
}
