package io.caduceus.api.fhir;

/** The identifier and code systems the facade names. */
public final class FhirSystems {

  /** A patient's medical record number, unique within its tenant. */
  public static final String MRN = "https://caduceus.health/fhir/sid/mrn";
  /** The v2 identifier type of a medical record number. */
  public static final String V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203";

  private FhirSystems() {
  }
}
