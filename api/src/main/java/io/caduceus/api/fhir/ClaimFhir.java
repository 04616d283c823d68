package io.caduceus.api.fhir;

import io.caduceus.api.billing.BillingView;
import io.caduceus.api.billing.ClaimService;
import io.caduceus.api.sql.RecordSearch;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code Claim}: a claim as this tenant holds it, the clinic's copy it submitted or the insurer's copy it
 * adjudicates, each with its own id; neither names the other's copy. Read and searched through {@link ClaimService}
 * like {@code /v1/claims}, with its permission (a patient reads their bills in the portal) and audit
 * ({@code claim.read}, {@code claim.search}). The member id shows only to a caller who may read insurance details.
 */
public final class ClaimFhir implements FhirType {

  /** The system of a tenant's id, naming a partner that is not a resource of this tenant. */
  static final String TENANT = "https://caduceus.health/fhir/sid/tenant";
  /** Every stored status: a claim stays FHIR-{@code active} however it was decided. */
  static final List<String> ANY_STATUS = List.of("submitted", "adjudicated", "paid", "denied");

  private final ClaimService claims;

  public ClaimFhir(ClaimService claims) {
    this.claims = claims;
  }

  @Override
  public String name() {
    return "Claim";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("patient", SearchParamType.REFERENCE, "The patient the claim bills for"),
        new SearchParameter("status", SearchParamType.TOKEN, "Always active (the decision is the ClaimResponse)"),
        new SearchParameter("created", SearchParamType.DATE, "When the claim was submitted"),
        new SearchParameter("_lastUpdated", SearchParamType.DATE, "When the claim last changed"));
  }

  @Override
  public List<String> includes() {
    return List.of("Claim:patient");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    return "patient".equals(searchParameter) ? List.of(((Claim) resource).getPatient().getReference()) : List.of();
  }

  @Override
  public Future<Claim> read(TenantContext ctx, String id) {
    return claims.get(ctx, FhirHandlers.uuid(id, "claim")).map(c -> of(ctx, c));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    int limit = SearchValues.limit(query);
    FhirQuery.DateRange created = SearchValues.dates(query, "created");
    FhirQuery.DateRange updated = SearchValues.dates(query, "_lastUpdated");
    RecordSearch search = new RecordSearch(SearchValues.ids(query, "Patient", "patient").orElse(null),
        SearchValues.tokens(query, "status", "http://hl7.org/fhir/fm-status", Map.of("active", ANY_STATUS))
            .orElse(null),
        null, SearchValues.from(created), SearchValues.to(created), SearchValues.from(updated),
        SearchValues.to(updated));
    if (query.summaryCount()) {
      return claims.count(ctx, search).map(FhirPage::count);
    }
    return claims.search(ctx, search, limit, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(c -> of(ctx, c)).toList(), page.nextCursor()));
  }

  /** A claim (its {@code /v1} view) as a FHIR Claim. */
  static Claim of(TenantContext ctx, BillingView view) {
    JsonObject json = view.json();
    Claim claim = new Claim();
    claim.setId(view.id().toString());
    claim.getMeta().setVersionId(String.valueOf(view.version()))
        .setLastUpdatedElement(new InstantType(json.getString("updatedAt")));
    claim.setStatus(Claim.ClaimStatus.ACTIVE);
    claim.setType(professional());
    claim.setUse(Claim.Use.CLAIM);
    claim.setPatient(new Reference("Patient/" + view.patientId()));
    claim.setCreatedElement(new DateTimeType(json.getString("createdAt")));
    claim.setInsurer(tenant(insurer(ctx, json)));
    JsonObject provider = json.getJsonObject("provider", new JsonObject());
    Reference rendering = new Reference().setDisplay(provider.getString("name"));
    if (provider.getString("npi") != null) {
      rendering.getIdentifier().setSystem("http://hl7.org/fhir/sid/us-npi").setValue(provider.getString("npi"));
    }
    claim.setProvider(rendering);
    claim.getPriority().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/processpriority")
        .setCode("normal");
    claim.addInsurance().setSequence(1).setFocal(true).setCoverage(coverage(json));
    String serviceDate = json.getString("serviceDate");
    if (serviceDate != null) {
      claim.setBillablePeriod(new Period().setStartElement(new DateTimeType(serviceDate))
          .setEndElement(new DateTimeType(serviceDate)));
    }
    diagnoses(claim, json.getJsonArray("diagnoses", new JsonArray()));
    items(claim, json);
    claim.setTotal(money(json.getLong("totalCents"), json.getString("currency")));
    return claim;
  }

  /** The insurer's coverage: its Coverage at the insurer, the member id where shown, or only what it is. */
  private static Reference coverage(JsonObject json) {
    if (json.getString("coverageId") != null) {
      return new Reference("Coverage/" + json.getString("coverageId"));
    }
    Reference coverage = new Reference().setDisplay("The patient's coverage at the insurer");
    if (json.getString("memberId") != null) {
      coverage.getIdentifier().setValue(json.getString("memberId"));
    }
    return coverage;
  }

  private static void diagnoses(Claim claim, JsonArray diagnoses) {
    for (int i = 0; i < diagnoses.size(); i++) {
      JsonObject d = diagnoses.getJsonObject(i);
      CodeableConcept code = new CodeableConcept();
      code.addCoding().setSystem("http://hl7.org/fhir/sid/icd-10-cm").setCode(d.getString("code"))
          .setDisplay(d.getString("display"));
      claim.addDiagnosis().setSequence(i + 1).setDiagnosis(code);
    }
  }

  private static void items(Claim claim, JsonObject json) {
    JsonArray lines = json.getJsonArray("lines", new JsonArray());
    String currency = json.getString("currency");
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      CodeableConcept service = new CodeableConcept();
      service.addCoding().setSystem("http://www.ama-assn.org/go/cpt").setCode(line.getString("cptCode"))
          .setDisplay(line.getString("display"));
      Claim.ItemComponent item = claim.addItem().setSequence(i + 1).setProductOrService(service)
          .setUnitPrice(money(line.getLong("unitCents"), currency))
          .setNet(money(line.getLong("amountCents"), currency));
      if (line.getValue("quantity") != null) {
        item.getQuantity().setValue(new BigDecimal(line.getValue("quantity").toString()));
      }
      for (int d = 1; d <= claim.getDiagnosis().size(); d++) {
        item.addDiagnosisSequence(d);
      }
    }
  }

  /** Claim type {@code professional}, as every claim here bills a visit. */
  static CodeableConcept professional() {
    CodeableConcept type = new CodeableConcept();
    type.addCoding().setSystem("http://terminology.hl7.org/CodeSystem/claim-type").setCode("professional");
    return type;
  }

  /** The insurer's tenant: this tenant at the insurer, the other one at the clinic. */
  static String insurer(TenantContext ctx, JsonObject claim) {
    return "outgoing".equals(claim.getString("direction")) ? claim.getString("counterpartTenantId")
        : ctx.tenantId().toString();
  }

  /** A tenant named by its id. */
  static Reference tenant(String id) {
    Reference reference = new Reference();
    reference.getIdentifier().setSystem(TENANT).setValue(id);
    return reference;
  }

  /** An amount in cents as FHIR Money (null when there is none). */
  static Money money(Long cents, String currency) {
    if (cents == null) {
      return null;
    }
    return new Money().setValue(BigDecimal.valueOf(cents, 2)).setCurrency(currency);
  }
}
