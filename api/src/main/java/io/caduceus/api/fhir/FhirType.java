package io.caduceus.api.fhir;

import io.caduceus.api.error.NotFound;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One resource type of the facade: what it supports (which the CapabilityStatement lists, and nothing else) and
 * how each interaction maps onto the services {@code /v1} uses, with their permissions, projection and audit. The
 * contract declares each supported interaction as an operation named {@code fhir<Type><Interaction>}
 * ({@code fhirPatientRead}, {@code fhirPatientSearch}, ...), which {@link FhirHandlers} binds; start-up fails if
 * the two disagree.
 *
 * <p>Ids are the record's UUID; an id that is no UUID answers 400 before any handler, as on {@code /v1}.
 */
public interface FhirType {

  /** The interactions a type can support. */
  enum Interaction {
    READ("Read"), VREAD("Vread"), HISTORY("History"), SEARCH("Search"), CREATE("Create"), UPDATE("Update");

    final String suffix;

    Interaction(String suffix) {
      this.suffix = suffix;
    }
  }

  /** A search parameter as the CapabilityStatement declares it. */
  record SearchParameter(String name, SearchParamType type, String documentation) {
  }

  /** The resource type's name, e.g. {@code Patient}. */
  String name();

  /** The interactions supported. */
  Set<Interaction> interactions();

  /** The search parameters supported (none if search is not). */
  List<SearchParameter> searchParameters();

  /** The {@code _include} values supported, e.g. {@code Observation:patient}. */
  default List<String> includes() {
    return List.of();
  }

  /** The {@code _revinclude} values supported, e.g. {@code Observation:patient} on Patient. */
  default List<String> revIncludes() {
    return List.of();
  }

  /**
   * The {@code _sort} values supported (e.g. {@code _lastUpdated}, {@code -_lastUpdated}), each an order the
   * type's listing has an index for; any other answers 400. None by default: the listing's own order.
   */
  default List<String> sorts() {
    return List.of();
  }

  /**
   * The references a resource of this type holds under one of its reference search parameters, as
   * {@code Type/id} (e.g. {@code Patient/0192...} for an Observation's {@code patient}); what {@code _include}
   * follows. Empty for a parameter that is not a reference.
   */
  default List<String> references(IBaseResource resource, String searchParameter) {
    return List.of();
  }

  /**
   * Whether a search of this type must name its patients ({@code patient}): such a type is read patient by patient
   * where a whole-tenant read is asked for (a system-level Bulk Data export).
   */
  default boolean searchNeedsPatient() {
    return false;
  }

  /** The names of the search parameters. */
  default Set<String> searchParameterNames() {
    return searchParameters().stream().map(SearchParameter::name).collect(Collectors.toSet());
  }

  /** One resource, as the caller may see it; fails with {@code NotFound} if it does not exist for the caller. */
  default Future<? extends IBaseResource> read(TenantContext ctx, String id) {
    throw new UnsupportedOperationException(name() + " read");
  }

  /**
   * One version of a resource, shown as {@link #read} shows the current one (same permission, projection and audit);
   * fails with {@code NotFound} if the resource or that version does not exist for the caller.
   */
  default Future<IBaseResource> vread(TenantContext ctx, String id, int version) {
    return history(ctx, id, VersionRange.exactly(version)).map(found -> found.stream()
        .filter(r -> String.valueOf(version).equals(r.getMeta().getVersionId())).findFirst()
        .orElseThrow(() -> new NotFound("no such version")));
  }

  /**
   * The resource's versions in the range, newest first, each shown as {@link #vread} shows it; fails with
   * {@code NotFound} as {@link #read} does. By default the current version is the only one (a type whose records
   * never change, such as a lab result).
   */
  default Future<List<IBaseResource>> history(TenantContext ctx, String id, VersionRange range) {
    return read(ctx, id).map(current -> {
      int version = Integer.parseInt(current.getMeta().getVersionId());
      boolean since = range.since() == null || current.getMeta().getLastUpdated() == null
          || !current.getMeta().getLastUpdated().toInstant().isBefore(range.since());
      return version < range.below() && since && range.limit() > 0 ? List.<IBaseResource>of(current) : List.of();
    });
  }

  /** A page of matches. */
  default Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    throw new UnsupportedOperationException(name() + " search");
  }

  /** Creates a resource from a parsed body; answers it as stored. */
  default Future<? extends IBaseResource> create(TenantContext ctx, IBaseResource resource) {
    throw new UnsupportedOperationException(name() + " create");
  }

  /** Replaces a resource if {@code version} is current; answers it as stored. */
  default Future<? extends IBaseResource> update(TenantContext ctx, String id, int version, IBaseResource resource) {
    throw new UnsupportedOperationException(name() + " update");
  }

  /** The HAPI class a create or update body is parsed as. */
  default Class<? extends IBaseResource> resourceClass() {
    throw new UnsupportedOperationException(name() + " has no writes");
  }
}
