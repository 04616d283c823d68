package io.caduceus.api.fhir;

import io.caduceus.api.organisation.Facility;
import io.caduceus.api.organisation.FacilitySearch;
import io.caduceus.api.organisation.FacilityService;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Reference;

import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Location}: a facility (site) of the caller's tenant, as {@link FacilityService} shows it. Every member reads
 * facilities and they are no patient's data, so, as on {@code /v1}, Location is not audited and the scoped access
 * policy (which confines patients, not sites) does not narrow it. Its {@code managingOrganization} is the tenant's
 * {@code Organization}. The facility's own time zone is not shown: R4 has no extension for a Location's zone
 * ({@code tz-code} qualifies a date, not a place).
 */
public final class LocationFhir implements FhirType {

  /** FHIR's location status codes. */
  static final String STATUS_SYSTEM = "http://hl7.org/fhir/location-status";
  /** FHIR's physical types of a location; a facility is a site ({@code si}). */
  static final String PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type";

  /** A FHIR status as the stored facility statuses it stands for (a facility is never suspended). */
  private static final Map<String, List<String>> STATUS = Map.of("active", List.of("active"),
      "inactive", List.of("closed"), "suspended", List.of());

  private final FacilityService facilities;

  public LocationFhir(FacilityService facilities) {
    this.facilities = facilities;
  }

  @Override
  public String name() {
    return "Location";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("_id", SearchParamType.TOKEN, "The location's id; several separated by commas."),
        new SearchParameter("_lastUpdated", SearchParamType.DATE,
            "When the facility last changed, with the prefixes eq, lt, le, gt, ge, sa and eb."),
        new SearchParameter("name", SearchParamType.STRING,
            "The name starts with the value (case-insensitive); several separated by commas."),
        new SearchParameter("address", SearchParamType.STRING,
            "A line, the city, state, postal code or country starts with the value (case-insensitive); several "
                + "separated by commas."),
        new SearchParameter("address-city", SearchParamType.STRING,
            "The city starts with the value (case-insensitive); several separated by commas."),
        new SearchParameter("status", SearchParamType.TOKEN,
            "active (open) or inactive (closed); several separated by commas."),
        new SearchParameter("organization", SearchParamType.REFERENCE,
            "The managing Organization: the caller's tenant (Organization/id or id)."));
  }

  @Override
  public List<String> includes() {
    return List.of("Location:organization");
  }

  @Override
  public List<String> references(IBaseResource resource, String searchParameter) {
    Reference managing = ((Location) resource).getManagingOrganization();
    return searchParameter.equals("organization") && managing.hasReference() ? List.of(managing.getReference())
        : List.of();
  }

  @Override
  public Future<Location> read(TenantContext ctx, String id) {
    return facilities.get(ctx, FhirHandlers.uuid(id, "location")).map(f -> of(ctx.tenantId().value(), f));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    query.modifiersOnly(Set.of());
    List<UUID> organizations = AppointmentFhir.ids(query, "organization", "Organization");
    FacilitySearch q = searchOf(query);
    if (organizations != null && !organizations.contains(ctx.tenantId().value())) {
      return Future.succeededFuture(query.summaryCount() ? FhirPage.count(0) : FhirPage.of(List.of(), null));
    }
    if (query.summaryCount()) {
      return facilities.count(ctx, q).map(FhirPage::count);
    }
    UUID tenant = ctx.tenantId().value();
    return facilities.search(ctx, q, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(f -> of(tenant, f)).toList(), page.nextCursor()));
  }

  private static FacilitySearch searchOf(FhirQuery query) {
    Optional<FhirQuery.DateRange> updated = query.dateRange("_lastUpdated");
    return new FacilitySearch(AppointmentFhir.ids(query, "_id", null), strings(query, "name"),
        strings(query, "address"), strings(query, "address-city"),
        SearchValues.tokens(query, "status", STATUS_SYSTEM, STATUS).orElse(null),
        updated.map(r -> SearchValues.from(r)).orElse(null), updated.map(r -> SearchValues.to(r)).orElse(null),
        query.count());
  }

  /** A string parameter's values (any of them matches), or null when it is not given. */
  private static List<String> strings(FhirQuery query, String parameter) {
    List<String> values = query.anyOf(parameter);
    return values.isEmpty() ? null : values;
  }

  /** A facility of tenant {@code tenantId} as a FHIR Location. */
  static Location of(UUID tenantId, Facility f) {
    Location fhir = new Location();
    fhir.setId(f.id().toString());
    fhir.getMeta().setVersionId(String.valueOf(f.version()))
        .setLastUpdatedElement(new InstantType(Date.from(f.updatedAt())));
    fhir.setStatus("active".equals(f.status()) ? Location.LocationStatus.ACTIVE : Location.LocationStatus.INACTIVE);
    fhir.setName(f.name());
    fhir.setMode(Location.LocationMode.INSTANCE);
    fhir.getPhysicalType().addCoding().setSystem(PHYSICAL_TYPE).setCode("si").setDisplay("Site");
    Address address = FhirAddresses.of(f.address());
    if (address != null) {
      fhir.setAddress(address.setUse(Address.AddressUse.WORK));
    }
    fhir.setManagingOrganization(new Reference("Organization/" + tenantId));
    return fhir;
  }
}
