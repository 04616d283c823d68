package io.caduceus.api.lab;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** What a search of lab orders asks for; each null is "any". Dates bound {@code created_at} and {@code updated_at}. */
public record LabOrderFilter(List<UUID> patients, List<LabOrderStatus> statuses, List<String> codes,
                             OffsetDateTime createdFrom, OffsetDateTime createdTo, OffsetDateTime updatedFrom,
                             OffsetDateTime updatedTo) {

  /** The values in the order of {@link LabOrderSql#SEARCH}'s filters. */
  List<Object> values() {
    return Arrays.asList(patients == null ? null : patients.toArray(UUID[]::new),
        statuses == null ? null : statuses.stream().map(LabOrderStatus::wire).toArray(String[]::new),
        codes == null ? null : codes.toArray(String[]::new), createdFrom, createdTo, updatedFrom, updatedTo);
  }
}
