package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.sql.RecordSearch;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The values of a search's reference, token and date parameters as a {@link RecordSearch} takes them: a comma
 * separates alternatives (OR), a repeated parameter narrows (AND), and a value that can name nothing here (another
 * resource type, an id that is no UUID, a code the record never has) matches nothing rather than being dropped.
 */
final class SearchValues {

  private SearchValues() {
  }

  /**
   * The ids the reference parameters {@code names} (e.g. {@code patient} and {@code subject}) allow, of resource
   * type {@code type}; empty when none is given. The only modifier accepted is the type itself.
   */
  static Optional<List<UUID>> ids(FhirQuery query, String type, String... names) {
    Set<UUID> allowed = null;
    for (Map.Entry<String, List<String>> param : query.params().entrySet()) {
      if (!named(param.getKey(), names, type)) {
        continue;
      }
      for (String value : param.getValue()) {
        Set<UUID> any = new LinkedHashSet<>();
        for (String one : value.split(",")) {
          FhirQuery.referenceId(one.trim(), type).flatMap(SearchValues::uuid).ifPresent(any::add);
        }
        allowed = allowed == null ? any : intersect(allowed, any);
      }
    }
    return Optional.ofNullable(allowed).map(List::copyOf);
  }

  /**
   * The stored values a token parameter allows: each code (in {@code system}, or without one) mapped through
   * {@code codes} (a FHIR code to the stored values it stands for); empty when the parameter is not given.
   */
  static Optional<List<String>> tokens(FhirQuery query, String name, String system, Map<String, List<String>> codes) {
    Set<String> allowed = null;
    for (Map.Entry<String, List<String>> param : query.params().entrySet()) {
      if (!named(param.getKey(), new String[] {name}, null)) {
        continue;
      }
      for (String value : param.getValue()) {
        Set<String> any = new LinkedHashSet<>();
        for (String one : value.split(",")) {
          FhirQuery.Token token = FhirQuery.Token.of(one.trim());
          if (system != null && token.system() != null && !token.system().equals(system)) {
            continue;
          }
          if (token.code() == null && codes == null) {
            throw new Invalid(name, "needs a code");
          } else if (token.code() == null) {
            codes.values().forEach(any::addAll);
          } else {
            any.addAll(codes == null ? List.of(token.code()) : codes.getOrDefault(token.code(), List.of()));
          }
        }
        allowed = allowed == null ? any : intersect(allowed, any);
      }
    }
    return Optional.ofNullable(allowed).map(List::copyOf);
  }

  /** The codes a token parameter names, as given (in {@code system}, or without one); empty when not given. */
  static Optional<List<String>> codes(FhirQuery query, String name, String system) {
    return tokens(query, name, system, null);
  }

  /** The instants a date parameter allows (its values ANDed), or the open range when it is not given. */
  static FhirQuery.DateRange dates(FhirQuery query, String name) {
    FhirQuery.DateRange range = new FhirQuery.DateRange(null, null);
    for (Map.Entry<String, List<String>> param : query.params().entrySet()) {
      if (named(param.getKey(), new String[] {name}, null)) {
        for (String value : param.getValue()) {
          range = range.and(FhirQuery.date(name, value));
        }
      }
    }
    return range;
  }

  /** The start of a range, as an instant (null when open). */
  static Instant from(FhirQuery.DateRange range) {
    return instant(range.from());
  }

  /** The end of a range, as an instant (null when open). */
  static Instant to(FhirQuery.DateRange range) {
    return instant(range.to());
  }

  /** The page size (unused under {@code _summary=count}, which each type answers with its service's count). */
  static int limit(FhirQuery query) {
    return query.count();
  }

  private static boolean named(String param, String[] names, String type) {
    int colon = param.indexOf(':');
    String base = colon < 0 ? param : param.substring(0, colon);
    if (!List.of(names).contains(base)) {
      return false;
    }
    if (colon >= 0 && (type == null || !param.substring(colon + 1).equals(type))) {
      throw new Invalid(param, "this modifier is not supported");
    }
    return true;
  }

  private static Optional<UUID> uuid(String id) {
    try {
      return id.length() == 36 ? Optional.of(UUID.fromString(id)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static <T> Set<T> intersect(Set<T> a, Set<T> b) {
    Set<T> both = new LinkedHashSet<>(a);
    both.retainAll(b);
    return both;
  }

  private static Instant instant(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }
}
