package io.caduceus.api.fhir;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Enumerations.SearchParamType;
import org.hl7.fhir.r4.model.Reference;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the types of a patient's chart (Encounter, Condition, Procedure, ServiceRequest) share: each resource is about
 * one patient, its {@code subject}; it is searched by {@code patient} or {@code subject} and includes that patient
 * ({@code <Type>:patient}, {@code <Type>:subject}). A type keeps only what differs: its further search parameters
 * and the other references it includes (its encounter, its practitioner), its read and search (through the
 * {@code /v1} service whose permission, projection and audit it keeps) and its mapping.
 *
 * @param <R> the HAPI class of the type's resources
 */
abstract class ChartEntryFhir<R extends IBaseResource> implements FhirType {

  private static final List<SearchParameter> PATIENT = List.of(
      new SearchParameter("patient", SearchParamType.REFERENCE, "The patient (ids separated by commas: any)"),
      new SearchParameter("subject", SearchParamType.REFERENCE, "The patient, as Patient/id"));

  private final String name;
  private final Class<R> type;

  /** A type named {@code name} whose resources are {@code type}. */
  ChartEntryFhir(String name, Class<R> type) {
    this.name = name;
    this.type = type;
  }

  @Override
  public final String name() {
    return name;
  }

  /** Read and search; a type whose versions are kept adds vread and history. */
  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ, Interaction.SEARCH);
  }

  /** {@code patient} and {@code subject}, then the type's own {@link #parameters()}. */
  @Override
  public final List<SearchParameter> searchParameters() {
    List<SearchParameter> all = new ArrayList<>(PATIENT);
    all.addAll(parameters());
    return List.copyOf(all);
  }

  /** The type's search parameters besides {@code patient} and {@code subject}. */
  abstract List<SearchParameter> parameters();

  /** {@code <Type>:patient} and {@code <Type>:subject}, then one for each of {@link #includedReferences()}. */
  @Override
  public final List<String> includes() {
    List<String> all = new ArrayList<>(List.of(name + ":patient", name + ":subject"));
    includedReferences().forEach(parameter -> all.add(name + ":" + parameter));
    return List.copyOf(all);
  }

  /** The reference parameters besides {@code patient} and {@code subject} that {@code _include} follows. */
  abstract List<String> includedReferences();

  /** The patient for {@code patient} and {@code subject}; the type's own for {@link #includedReferences()}. */
  @Override
  public final List<String> references(IBaseResource resource, String searchParameter) {
    R r = type.cast(resource);
    return switch (searchParameter) {
      case "patient", "subject" -> List.of(subject(r).getReference());
      default -> includedReferences().contains(searchParameter) ? otherReferences(r, searchParameter) : List.of();
    };
  }

  /** The resource's patient. */
  abstract Reference subject(R resource);

  /** The references the resource holds under one of {@link #includedReferences()}, as {@code Type/id}. */
  abstract List<String> otherReferences(R resource, String parameter);

  /** A reference as a list: empty when the resource holds none. */
  static List<String> referenceOf(Reference reference) {
    return reference.hasReference() ? List.of(reference.getReference()) : List.of();
  }
}
