package io.caduceus.api.fhir;

import java.util.Optional;
import java.util.UUID;

/** Ids in search values: a value that is no UUID names no record here, so it matches nothing (never a 400). */
final class FhirQueryIds {

  private FhirQueryIds() {
  }

  static Optional<UUID> uuid(String id) {
    try {
      return id.length() == 36 ? Optional.of(UUID.fromString(id)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
