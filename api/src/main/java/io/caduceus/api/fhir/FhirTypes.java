package io.caduceus.api.fhir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every resource type the facade serves, by name: the handlers bind them, the CapabilityStatement lists them,
 * {@code _include}/{@code _revinclude} and Bulk Data export reach one type from another through it.
 */
public final class FhirTypes {

  private final Map<String, FhirType> byName = new LinkedHashMap<>();
  private final List<Operation> operations = new ArrayList<>();

  /**
   * An extended operation served beside the types' interactions (Bulk Data's {@code $export}), as the
   * CapabilityStatement lists it; {@code resourceType} null for a system-level operation.
   */
  public record Operation(String resourceType, String name, String definition) {
  }

  public FhirTypes(List<FhirType> types) {
    for (FhirType type : types) {
      if (byName.put(type.name(), type) != null) {
        throw new IllegalStateException("FHIR type registered twice: " + type.name());
      }
    }
  }

  /** Declares an operation another area serves (before the facade is bound). */
  public synchronized void declare(Operation operation) {
    operations.add(operation);
  }

  /** The declared operations. */
  public synchronized List<Operation> operations() {
    return List.copyOf(operations);
  }

  /** The types in registration order. */
  public List<FhirType> all() {
    return List.copyOf(byName.values());
  }

  /**
   * The {@code _revinclude} values a type supports: those it declares and, for Patient, every other type's
   * {@code _include} through {@code patient} or {@code subject} ({@code Appointment:patient},
   * {@code Observation:subject}): a compartment type that declares its includes is reverse-includable from Patient
   * without editing Patient. (Only Patient: its search is audited with the patients, so what the reverse search
   * discloses is on the trail.)
   */
  public List<String> revIncludesOf(FhirType type) {
    Set<String> all = new LinkedHashSet<>(type.revIncludes());
    for (FhirType other : byName.values()) {
      for (String include : other.includes()) {
        String parameter = include.substring(include.indexOf(':') + 1);
        if (type.name().equals("Patient") && (parameter.equals("patient") || parameter.equals("subject"))) {
          all.add(include);
        }
      }
    }
    return List.copyOf(all);
  }

  /** The type of a name, if served. */
  public Optional<FhirType> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }
}
