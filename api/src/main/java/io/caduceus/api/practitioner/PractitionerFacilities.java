package io.caduceus.api.practitioner;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;

/** The facilities a practitioner serves (may book visits at): several, or none in a tenant without facilities. */
public record PractitionerFacilities(UUID practitionerId, List<UUID> facilityIds) {

  public PractitionerFacilities {
    facilityIds = List.copyOf(facilityIds);
  }

  /** The contract's {@code PractitionerFacilities}. */
  public JsonObject toJson() {
    JsonArray ids = new JsonArray();
    facilityIds.forEach(id -> ids.add(id.toString()));
    return new JsonObject().put("practitionerId", practitionerId.toString()).put("facilityIds", ids);
  }
}
