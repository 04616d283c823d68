package io.caduceus.api.organisation;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The filters of a FHIR Location search over facilities, each null when not given: any of these ids, names, addresses
 * and cities (each value a case-insensitive prefix, as FHIR's string search), stored statuses ({@code active},
 * {@code closed}), a last-update range (half-open, null ends open).
 */
public record FacilitySearch(List<UUID> ids, List<String> names, List<String> addresses, List<String> cities,
                             List<String> statuses, Instant updatedFrom, Instant updatedBefore, int limit) {

  public FacilitySearch {
    ids = ids == null ? null : List.copyOf(ids);
    names = names == null ? null : List.copyOf(names);
    addresses = addresses == null ? null : List.copyOf(addresses);
    cities = cities == null ? null : List.copyOf(cities);
    statuses = statuses == null ? null : List.copyOf(statuses);
  }

  /** Each value as a LIKE pattern matching what starts with it, whatever the case. */
  static String[] prefixes(List<String> values) {
    return values.stream().map(v -> v.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
        .replace("_", "\\_") + "%").toArray(String[]::new);
  }

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return "fhir|" + ids + "|" + names + "|" + addresses + "|" + cities + "|" + statuses + "|" + updatedFrom + "|"
        + updatedBefore;
  }
}
