package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.paging.Cursors;
import io.caduceus.api.paging.Position;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The search parameters the clinical types share, read from a {@link FhirQuery} into the services' filters, and
 * their paging: a page is the services' keyset listing, its cursor sealed for the tenant, the type and the query.
 * A value naming nothing this server holds (an id that is no UUID, another code system) matches nothing, which the
 * readers answer as an empty list.
 */
final class ClinicalSearch {

  private ClinicalSearch() {
  }

  /** Refuses modifiers: none of the clinical parameters supports one, and ignoring it would widen the search. */
  static void noModifiers(FhirQuery query) {
    for (String name : query.params().keySet()) {
      if (name.contains(":")) {
        throw new Invalid(name, "modifiers are not supported on this parameter");
      }
    }
  }

  /** The patients of {@code patient} and {@code subject} (ids, {@code Patient/id}, comma-separated: any of them). */
  static List<UUID> patients(FhirQuery query) {
    List<UUID> patient = references(query, "patient", "Patient");
    List<UUID> subject = references(query, "subject", "Patient");
    if (patient == null) {
      return subject;
    }
    return subject == null ? patient : patient.stream().filter(subject::contains).toList();
  }

  /**
   * The ids a reference parameter names (any of a value's, commas separating them; a repeated parameter narrows to
   * the ids every value names), or null when it is not given.
   */
  static List<UUID> references(FhirQuery query, String parameter, String type) {
    List<String> values = query.all(parameter);
    if (values.isEmpty()) {
      return null;
    }
    List<UUID> ids = null;
    for (String value : values) {
      List<UUID> any = new ArrayList<>();
      for (String one : value.split(",")) {
        FhirQuery.referenceId(one.trim(), type).flatMap(ClinicalSearch::uuid).ifPresent(any::add);
      }
      ids = ids == null ? any : ids.stream().filter(any::contains).toList();
    }
    return ids;
  }

  /** The one id a reference parameter names, or null when it is not given; an empty list when it names nothing. */
  static List<UUID> reference(FhirQuery query, String parameter, String type) {
    List<UUID> ids = references(query, parameter, type);
    if (ids != null && ids.size() > 1) {
      throw new Invalid(parameter, "names one resource here");
    }
    return ids;
  }

  /**
   * The codes of a token parameter in the given system (or without one): any of a value's ({@code [system|]code},
   * commas separating them), a repeated parameter narrowing to the codes every value names; null when it is not given.
   */
  static List<String> codes(FhirQuery query, String parameter, String system) {
    List<String> values = query.all(parameter);
    if (values.isEmpty()) {
      return null;
    }
    List<String> codes = null;
    for (String value : values) {
      List<String> any = new ArrayList<>();
      for (String one : value.split(",")) {
        FhirQuery.Token token = FhirQuery.Token.of(one.trim());
        if (token.code() != null && (token.system() == null || token.system().equals(system))) {
          any.add(token.code());
        }
      }
      codes = codes == null ? any : codes.stream().filter(any::contains).toList();
    }
    return codes;
  }

  /** The intersection of a date parameter's values (repeats are ANDed), or null when it is not given. */
  static FhirQuery.DateRange range(FhirQuery query, String parameter) {
    FhirQuery.DateRange range = null;
    for (String value : query.all(parameter)) {
      FhirQuery.DateRange one = FhirQuery.date(parameter, value);
      range = range == null ? one : range.and(one);
    }
    return range;
  }

  /** Both date parameters over the same column, intersected; null when neither is given. */
  static FhirQuery.DateRange range(FhirQuery query, String parameter, String other) {
    FhirQuery.DateRange a = range(query, parameter);
    FhirQuery.DateRange b = range(query, other);
    return a == null ? b : b == null ? a : a.and(b);
  }

  /** Whether any of the given filters names nothing (an empty list), so the search matches nothing. */
  static boolean matchesNothing(List<?>... filters) {
    for (List<?> filter : filters) {
      if (filter != null && filter.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /**
   * One page of a keyset listing, newest first: {@code fetch} reads up to the given number of items after a
   * position; the next cursor is sealed for the tenant, the type and the query's parameters. The audit record names
   * the patients of the items returned (as a {@code /v1} listing's does), not of the one read to know there are more.
   * Under {@code _summary=count} only {@code count} runs: the service's count under the same filters.
   */
  static <T> Future<FhirPage> page(Cursors cursors, TenantContext ctx, String type, FhirQuery query,
                                   BiFunction<Position, Integer, Future<List<T>>> fetch, Function<T, Instant> at,
                                   Function<T, UUID> id, Function<T, UUID> patient,
                                   Function<T, IBaseResource> resource, Supplier<Future<Integer>> count) {
    if (query.summaryCount()) {
      return count.get().map(FhirPage::count);
    }
    String filters = new TreeMap<>(query.params()).toString();
    String listing = "fhir-" + type;
    Position after = cursors.after(ctx, listing, filters, query.cursor());
    return fetch.apply(after, query.count() + 1).map(found -> {
      List<T> items = found.size() > query.count() ? found.subList(0, query.count()) : found;
      String next = found.size() > query.count() ? cursors.seal(ctx, listing, filters,
          at.apply(items.get(items.size() - 1)), id.apply(items.get(items.size() - 1))) : null;
      ctx.audit().patients(items.stream().map(patient).distinct().toList());
      return FhirPage.of(items.stream().map(resource).toList(), next);
    });
  }

  /** A page with no matches. */
  static Future<FhirPage> empty() {
    return Future.succeededFuture(FhirPage.of(List.of(), null));
  }

  private static java.util.Optional<UUID> uuid(String id) {
    try {
      return id.length() == 36 ? java.util.Optional.of(UUID.fromString(id)) : java.util.Optional.empty();
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }
}
