package io.caduceus.api.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The filters of a search of one tenant's trail (the FHIR facade's {@code AuditEvent}); a null filter is absent.
 *
 * @param patients events naming any of these patients (an empty list matches nothing)
 * @param notBy    events by anyone but this user (a patient's own accesses are left out of their log)
 * @param from     events at or after this instant
 * @param to       events before this instant
 */
public record AuditSearch(List<UUID> patients, UUID notBy, Instant from, Instant to) {

  /** The filters as cursor-binding text: a cursor of one search is refused by another. */
  String fingerprint() {
    return patients + "|" + notBy + "|" + from + "|" + to;
  }
}
