package io.caduceus.api.patient;

import io.caduceus.api.access.Permission;

/** The parts of a patient record that roles may see or change separately (field-level projection). */
public enum PatientSection {
  DEMOGRAPHICS(Permission.PATIENT_READ, Permission.PATIENT_DEMOGRAPHICS_WRITE),
  CONTACT(Permission.PATIENT_CONTACT_READ, Permission.PATIENT_CONTACT_WRITE),
  INSURANCE(Permission.PATIENT_INSURANCE_READ, Permission.PATIENT_INSURANCE_WRITE),
  IDENTIFIERS(Permission.PATIENT_IDENTIFIERS_READ, Permission.PATIENT_IDENTIFIERS_WRITE),
  CLINICAL(Permission.PATIENT_CLINICAL_READ, Permission.PATIENT_CLINICAL_WRITE);

  final Permission read;
  final Permission write;

  PatientSection(Permission read, Permission write) {
    this.read = read;
    this.write = write;
  }

  /** The permission that shows this section (a tenant role's projection is the sections it holds this for). */
  public Permission read() {
    return read;
  }

  /** The lower-case name used in the contract. */
  public String wire() {
    return name().toLowerCase();
  }
}
