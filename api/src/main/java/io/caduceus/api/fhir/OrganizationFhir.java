package io.caduceus.api.fhir;

import io.caduceus.api.error.NotFound;
import io.caduceus.routing.TenantContext;
import io.caduceus.routing.catalog.Tenant;
import io.caduceus.routing.catalog.TenantCatalog;
import io.caduceus.routing.catalog.TenantStatus;
import io.vertx.core.Future;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Organization;

import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code Organization}: the caller's own tenant, and nothing else. Its id is the tenant's; any other id answers 404,
 * and a search finds at most the caller's tenant. What it shows (name, kind, whether active) is what every member
 * of the tenant already knows, so it needs no permission beyond belonging to the tenant, and is not audited.
 */
public final class OrganizationFhir implements FhirType {

  private final TenantCatalog catalog;

  public OrganizationFhir(TenantCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public String name() {
    return "Organization";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("_id", SearchParamType.TOKEN, "The organization's id (the caller's tenant's)."),
        new SearchParameter("_lastUpdated", SearchParamType.DATE,
            "When the tenant's settings last changed, with the prefixes eq, lt, le, gt, ge, sa and eb."));
  }

  @Override
  public Future<Organization> read(TenantContext ctx, String id) {
    UUID uuid = FhirHandlers.uuid(id, "organization");
    if (!uuid.equals(ctx.tenantId().value())) {
      return Future.failedFuture(new NotFound("no such organization"));
    }
    return own(ctx).map(found -> found.orElseThrow(() -> new NotFound("no such organization")));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    query.modifiersOnly(Set.of());
    List<UUID> ids = AppointmentFhir.ids(query, "_id", null);
    Optional<FhirQuery.DateRange> updated = query.dateRange("_lastUpdated");
    if (ids != null && !ids.contains(ctx.tenantId().value())) {
      return Future.succeededFuture(query.summaryCount() ? FhirPage.count(0) : FhirPage.of(List.of(), null));
    }
    return own(ctx).map(found -> found.filter(o -> updated.map(r -> within(
        o.getMeta().getLastUpdated().toInstant(), r)).orElse(true)).map(List::of).orElse(List.of()))
        .map(own -> query.summaryCount() ? FhirPage.count(own.size()) : FhirPage.of(own, null));
  }

  private static boolean within(Instant at, FhirQuery.DateRange range) {
    return (range.from() == null || !at.isBefore(range.from().toInstant()))
        && (range.to() == null || at.isBefore(range.to().toInstant()));
  }

  private Future<Optional<Organization>> own(TenantContext ctx) {
    return catalog.find(ctx.tenantId()).map(found -> found.map(OrganizationFhir::of));
  }

  static Organization of(Tenant t) {
    Organization org = new Organization();
    org.setId(t.id().value().toString());
    org.getMeta().setVersionId(String.valueOf(t.version()))
        .setLastUpdatedElement(new InstantType(Date.from(t.updatedAt())));
    org.setActive(t.status() == TenantStatus.ACTIVE);
    org.setName(t.name());
    org.addType().setText(t.kind().name().toLowerCase());
    return org;
  }
}
