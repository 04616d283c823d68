package io.caduceus.api.fhir;

import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Address;

/** The contract's {@code Address} (a patient's, a facility's) as a FHIR {@code Address}. */
final class FhirAddresses {

  private FhirAddresses() {
  }

  /** The FHIR form of a stored address; null when there is none or it is empty. */
  static Address of(JsonObject address) {
    if (address == null || address.isEmpty()) {
      return null;
    }
    Address a = new Address();
    if (address.getJsonArray("lines") != null) {
      address.getJsonArray("lines").forEach(line -> a.addLine((String) line));
    }
    return a.setCity(address.getString("city")).setState(address.getString("region"))
        .setPostalCode(address.getString("postalCode")).setCountry(address.getString("country"));
  }
}
