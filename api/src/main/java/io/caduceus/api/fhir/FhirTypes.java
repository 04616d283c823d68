package io.caduceus.api.fhir;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every resource type the facade serves, by name: the handlers bind them, the CapabilityStatement lists them,
 * {@code _include}/{@code _revinclude} and Bulk Data export reach one type from another through it.
 */
public final class FhirTypes {

  private final Map<String, FhirType> byName = new LinkedHashMap<>();

  public FhirTypes(List<FhirType> types) {
    for (FhirType type : types) {
      if (byName.put(type.name(), type) != null) {
        throw new IllegalStateException("FHIR type registered twice: " + type.name());
      }
    }
  }

  /** The types in registration order. */
  public List<FhirType> all() {
    return List.copyOf(byName.values());
  }

  /** The type of a name, if served. */
  public Optional<FhirType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
