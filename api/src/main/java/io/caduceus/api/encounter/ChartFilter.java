package io.caduceus.api.encounter;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * What a search of a chart's entries (vitals, diagnoses, procedures, lab results) asks for; each null is "any".
 *
 * @param patients  the patients any of whom the entry is about
 * @param encounter the encounter that recorded it
 * @param codes     the codes any of which it has
 * @param from      recorded at or after
 * @param to        recorded before
 */
public record ChartFilter(List<UUID> patients, UUID encounter, List<String> codes, OffsetDateTime from,
                          OffsetDateTime to) {

  /** The filter's values in the order the listings take them, arrays for the "any of" ones. */
  public List<Object> values() {
    return java.util.Arrays.asList(patients == null ? null : patients.toArray(UUID[]::new), encounter,
        codes == null ? null : codes.toArray(String[]::new), from, to);
  }
}
