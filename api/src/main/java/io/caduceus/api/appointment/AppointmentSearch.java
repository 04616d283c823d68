package io.caduceus.api.appointment;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The filters of a FHIR appointment search: any of these ids, patients, practitioners, facilities and statuses (null
 * for no filter), a start range and a last-update range (half-open, null ends open), in start order or its reverse.
 */
public record AppointmentSearch(List<UUID> ids, List<UUID> patients, List<UUID> practitioners, List<UUID> facilities,
                                List<AppointmentStatus> statuses, Instant from, Instant before, Instant updatedFrom,
                                Instant updatedBefore, boolean descending, int limit) {

  public AppointmentSearch {
    ids = ids == null ? null : List.copyOf(ids);
    patients = patients == null ? null : List.copyOf(patients);
    practitioners = practitioners == null ? null : List.copyOf(practitioners);
    facilities = facilities == null ? null : List.copyOf(facilities);
    statuses = statuses == null ? null : List.copyOf(statuses);
  }

  /** The filters as cursor-binding text. */
  String fingerprint() {
    return "fhir|" + ids + "|" + patients + "|" + practitioners + "|" + facilities + "|" + statuses + "|" + from + "|" + before + "|"
        + updatedFrom + "|" + updatedBefore + "|" + descending;
  }
}
