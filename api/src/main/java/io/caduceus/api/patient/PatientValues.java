package io.caduceus.api.patient;

import io.caduceus.routing.keys.TenantKeys;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.util.UUID;

/** Every writable column of a patient row, with the identifiers already sealed under the tenant's key. */
public record PatientValues(
    String mrn,
    String familyName,
    String givenName,
    LocalDate birthDate,
    String sex,
    String preferredLanguage,
    JsonObject contact,
    JsonObject insurance,
    byte[] memberIdSealed,
    byte[] nationalIdSealed,
    JsonObject clinical) {

  /** The values of a new record with the given MRN. */
  static PatientValues blank(String mrn) {
    return new PatientValues(mrn, null, null, null, "unknown", null, null, null, null, null, null);
  }

  /** These values with the draft's sections replacing the current ones. */
  PatientValues with(PatientDraft d, TenantKeys keys, UUID id) {
    JsonObject name = d.name();
    String memberId = d.insurance() == null ? null : d.insurance().getString("memberId");
    JsonObject insuranceRest = d.insurance() == null ? null : d.insurance().copy();
    if (insuranceRest != null) {
      insuranceRest.remove("memberId");
    }
    String nationalId = d.identifiers() == null ? null : d.identifiers().getString("nationalId");
    boolean insurance = d.sections().contains(PatientSection.INSURANCE);
    boolean identifiers = d.sections().contains(PatientSection.IDENTIFIERS);
    return new PatientValues(
        d.mrn() != null ? d.mrn() : mrn,
        name != null ? name.getString("family") : familyName,
        name != null ? name.getString("given") : givenName,
        d.birthDate() != null ? d.birthDate() : birthDate,
        d.sex() != null ? d.sex() : sex,
        d.preferredLanguage() != null ? d.preferredLanguage() : preferredLanguage,
        d.sections().contains(PatientSection.CONTACT) ? d.contact() : contact,
        insurance ? insuranceRest : this.insurance,
        insurance ? seal(keys, Patient.memberIdBinding(id), memberId) : memberIdSealed,
        identifiers ? seal(keys, Patient.nationalIdBinding(id), nationalId) : nationalIdSealed,
        d.sections().contains(PatientSection.CLINICAL) ? d.clinical() : clinical);
  }

  private static byte[] seal(TenantKeys keys, String binding, String value) {
    return value == null ? null : keys.seal(binding, value);
  }
}
