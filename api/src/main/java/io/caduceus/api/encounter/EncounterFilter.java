package io.caduceus.api.encounter;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** What a search of encounters asks for; each null is "any". Dates bound {@code opened_at} and {@code updated_at}. */
public record EncounterFilter(List<UUID> patients, EncounterStatus status, UUID practitioner, OffsetDateTime openedFrom,
                              OffsetDateTime openedTo, OffsetDateTime updatedFrom, OffsetDateTime updatedTo) {

  /** The values in the order of {@link EncounterSql#SEARCH}'s filters. */
  List<Object> values() {
    return Arrays.asList(patients == null ? null : patients.toArray(UUID[]::new),
        status == null ? null : status.wire(), practitioner, openedFrom, openedTo, updatedFrom, updatedTo);
  }
}
