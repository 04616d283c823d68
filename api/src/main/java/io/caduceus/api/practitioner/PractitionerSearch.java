package io.caduceus.api.practitioner;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The filters of a FHIR practitioner search: any of these ids (null for no filter), a name prefix (each word starts
 * a word of the family or given name), NPIs (any of them), a last-update range (half-open, null ends open).
 */
public record PractitionerSearch(List<UUID> ids, String name, List<String> npis, Instant updatedFrom,
                                 Instant updatedBefore, int limit) {

  public PractitionerSearch {
    ids = ids == null ? null : List.copyOf(ids);
    npis = npis == null ? null : List.copyOf(npis);
  }

  /** The name's words as LIKE patterns on {@code ' ' || lower(family_name) || ' ' || lower(given_name)}. */
  String[] namePatterns() {
    return java.util.Arrays.stream(name.trim().toLowerCase(Locale.ROOT).split("\\s+")).filter(w -> !w.isEmpty())
        .map(w -> "% " + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        .toArray(String[]::new);
  }

  String fingerprint() {
    return "fhir|" + ids + "|" + name + "|" + npis + "|" + updatedFrom + "|" + updatedBefore;
  }
}
