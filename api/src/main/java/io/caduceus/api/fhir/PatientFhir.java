package io.caduceus.api.fhir;

import io.caduceus.api.patient.PatientService;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code Patient}: the {@code /v1} patient as {@link PatientService} shows it to the caller, so the caller's role
 * decides what is present (a receptionist's Patient carries no clinical section), and the read is audited as
 * {@code patient.read} like its {@code /v1} twin.
 */
public final class PatientFhir implements FhirType {

  private final PatientService patients;

  public PatientFhir(PatientService patients) {
    this.patients = patients;
  }

  @Override
  public String name() {
    return "Patient";
  }

  @Override
  public Set<Interaction> interactions() {
    return EnumSet.of(Interaction.READ);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of();
  }

  @Override
  public Future<Patient> read(TenantContext ctx, String id) {
    return patients.get(ctx, FhirHandlers.uuid(id, "patient")).map(p -> of(p.json()));
  }

  /** A {@code /v1} patient (as projected for the caller) as a FHIR Patient. */
  static Patient of(JsonObject json) {
    Patient patient = new Patient();
    patient.setId(json.getString("id"));
    patient.getMeta().setVersionId(String.valueOf(json.getInteger("version")))
        .setLastUpdatedElement(new InstantType(json.getString("updatedAt")));
    Identifier mrn = patient.addIdentifier().setUse(Identifier.IdentifierUse.USUAL).setSystem(FhirSystems.MRN)
        .setValue(json.getString("mrn"));
    mrn.getType().addCoding().setSystem(FhirSystems.V2_IDENTIFIER_TYPE).setCode("MR").setDisplay("Medical record number");
    JsonObject name = json.getJsonObject("name");
    if (name != null) {
      HumanName human = patient.addName().setUse(HumanName.NameUse.OFFICIAL).setFamily(name.getString("family"));
      String given = name.getString("given");
      if (given != null && !given.isBlank()) {
        Arrays.stream(given.trim().split("\\s+")).forEach(human::addGiven);
      }
    }
    String birthDate = json.getString("birthDate");
    if (birthDate != null) {
      patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
    }
    patient.setGender(switch (json.getString("sex", "unknown")) {
      case "female" -> AdministrativeGender.FEMALE;
      case "male" -> AdministrativeGender.MALE;
      case "other" -> AdministrativeGender.OTHER;
      default -> AdministrativeGender.UNKNOWN;
    });
    JsonObject contact = json.getJsonObject("contact");
    if (contact != null) {
      if (contact.getString("phone") != null) {
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue(contact.getString("phone"));
      }
      if (contact.getString("email") != null) {
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue(contact.getString("email"));
      }
    }
    return patient;
  }
}
