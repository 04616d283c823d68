package io.caduceus.api.connector;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What a FHIR search asks of imported records of one type. A null filter is absent; an empty list matches nothing.
 * Codings and categories are FHIR JSON fragments a stored element must contain ({@code [{"system":..,"code":..}]} for
 * a coding list, {@code [{"coding":[..]}]} for a category), any of them.
 *
 * @param type       Condition, Observation or MedicationRequest
 * @param patients   our patients' ids, any of them
 * @param codings    the code (a MedicationRequest's medicationCodeableConcept) contains any of these coding lists
 * @param categories the category contains any of these
 * @param statuses   status (a Condition's clinicalStatus code), any of them
 * @param intents    intent (MedicationRequest), any of them
 * @param dateFrom   the clinical time (an Observation's effective[x] or issued, a MedicationRequest's authoredOn)
 *                   from this instant on
 * @param dateTo     ... and before this one
 * @param updatedFrom our copy's last change from this instant on
 * @param updatedTo  ... and before this one
 */
public record ImportedResourceFilter(String type, List<UUID> patients, List<String> codings, List<String> categories,
                                     List<String> statuses, List<String> intents, Instant dateFrom, Instant dateTo,
                                     Instant updatedFrom, Instant updatedTo) {

  /** Whether a filter names nothing, so the search needs no query. */
  public boolean matchesNothing() {
    for (List<?> filter : java.util.Arrays.asList(patients, codings, categories, statuses, intents)) {
      if (filter != null && filter.isEmpty()) {
        return true;
      }
    }
    return false;
  }
}
