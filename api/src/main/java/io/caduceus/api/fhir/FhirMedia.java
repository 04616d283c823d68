package io.caduceus.api.fhir;

/** The facade's base path and media type. */
public final class FhirMedia {

  /** Where the FHIR R4 facade is served. */
  public static final String BASE = "/fhir/r4";
  /** The media type of every FHIR answer and of the bodies the facade reads. */
  public static final String JSON = "application/fhir+json";

  private FhirMedia() {
  }
}
