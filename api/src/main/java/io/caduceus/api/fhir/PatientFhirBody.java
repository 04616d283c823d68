package io.caduceus.api.fhir;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unprocessable;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A FHIR Patient as the {@code /v1} patient body {@code PatientService} reads: name, birth date, gender, the MRN
 * identifier, telecom (one phone, one email), one address and the communication language. Every other element
 * answers 422 naming it; each value is checked as the {@code /v1} contract checks it (the FHIR body never passes
 * the contract's JSON Schema), so the service receives what it would from {@code /v1}.
 */
final class PatientFhirBody {

  private static final Pattern MRN = Pattern.compile("^[A-Za-z0-9-]{1,32}$");
  private static final Pattern PHONE = Pattern.compile("^\\+?[0-9 ()-]{5,24}$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
  private static final Pattern LANGUAGE = Pattern.compile("^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$");
  private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");
  private static final String BCP47 = "urn:ietf:bcp:47";

  private PatientFhirBody() {
  }

  /** The body's fields; absent ones are absent (a create leaves them unset, an update decides what that means). */
  static JsonObject of(Patient p) {
    FhirElements.onlyHeld(p, "Patient", Set.of("id", "meta", "identifier", "active", "name", "telecom", "gender",
        "birthDate", "address", "communication"));
    if (p.hasActive() && !p.getActive()) {
      throw new Unprocessable("Patient.active: an inactive patient cannot be stored by this server");
    }
    noExtensions(p.getActiveElement(), "Patient.active");
    JsonObject body = new JsonObject();
    String mrn = mrn(p.getIdentifier());
    if (mrn != null) {
      body.put("mrn", mrn);
    }
    body.put("name", name(p.getName()));
    if (p.hasBirthDate()) {
      noExtensions(p.getBirthDateElement(), "Patient.birthDate");
      if (p.getBirthDateElement().getPrecision() != TemporalPrecisionEnum.DAY) {
        throw new Unprocessable("Patient.birthDate: only a full date (year, month and day) can be stored");
      }
      body.put("birthDate", p.getBirthDateElement().getValueAsString());
    }
    if (p.hasGender()) {
      noExtensions(p.getGenderElement(), "Patient.gender");
      body.put("sex", switch (p.getGender()) {
        case FEMALE -> "female";
        case MALE -> "male";
        case OTHER -> "other";
        default -> "unknown";
      });
    }
    JsonObject contact = contact(p.getTelecom(), p.getAddress());
    if (contact != null) {
      body.put("contact", contact);
    }
    String language = language(p.getCommunication());
    if (language != null) {
      body.put("preferredLanguage", language);
    }
    return body;
  }

  private static String mrn(List<Identifier> identifiers) {
    String mrn = null;
    for (int i = 0; i < identifiers.size(); i++) {
      Identifier id = identifiers.get(i);
      String path = "Patient.identifier[" + i + "]";
      FhirElements.onlyHeld(id, path, Set.of("use", "type", "system", "value"));
      if (!FhirSystems.MRN.equals(id.getSystem())) {
        throw new Unprocessable(path + ": only the MRN (system " + FhirSystems.MRN + ") can be stored");
      }
      if (mrn != null) {
        throw new Unprocessable(path + ": a patient has one MRN");
      }
      if (!id.hasValue() || !MRN.matcher(id.getValue()).matches()) {
        throw new Invalid(path + ".value", "an MRN is 1-32 letters, digits and hyphens");
      }
      mrn = id.getValue();
    }
    return mrn;
  }

  private static JsonObject name(List<HumanName> names) {
    if (names.size() != 1) {
      throw new Unprocessable("Patient.name: exactly one name (with a family name) can be stored");
    }
    HumanName name = names.get(0);
    FhirElements.onlyHeld(name, "Patient.name[0]", Set.of("use", "family", "given"));
    if (name.hasUse() && name.getUse() != HumanName.NameUse.OFFICIAL && name.getUse() != HumanName.NameUse.USUAL) {
      throw new Unprocessable("Patient.name[0].use: only an official or usual name can be stored");
    }
    String family = name.getFamily();
    if (family == null || family.isBlank() || family.length() > 100) {
      throw new Invalid("Patient.name[0].family", "is required, at most 100 characters");
    }
    JsonObject json = new JsonObject().put("family", family);
    if (name.hasGiven()) {
      StringBuilder given = new StringBuilder();
      for (StringType g : name.getGiven()) {
        if (g.getValue() == null || g.getValue().isBlank() || g.getValue().contains(" ")) {
          throw new Unprocessable("Patient.name[0].given: each given name is one word");
        }
        given.append(given.length() == 0 ? "" : " ").append(g.getValue());
      }
      if (given.length() > 100) {
        throw new Invalid("Patient.name[0].given", "at most 100 characters in all");
      }
      json.put("given", given.toString());
    }
    return json;
  }

  private static JsonObject contact(List<ContactPoint> telecom, List<Address> addresses) {
    if (telecom.isEmpty() && addresses.isEmpty()) {
      return null;
    }
    JsonObject contact = new JsonObject();
    for (int i = 0; i < telecom.size(); i++) {
      ContactPoint point = telecom.get(i);
      String path = "Patient.telecom[" + i + "]";
      FhirElements.onlyHeld(point, path, Set.of("system", "value"));
      String key = point.getSystem() == ContactPoint.ContactPointSystem.PHONE ? "phone"
          : point.getSystem() == ContactPoint.ContactPointSystem.EMAIL ? "email" : null;
      if (key == null) {
        throw new Unprocessable(path + ".system: only one phone and one email can be stored");
      }
      if (contact.containsKey(key)) {
        throw new Unprocessable(path + ": only one " + key + " can be stored");
      }
      String value = point.getValue();
      boolean valid = value != null && (key.equals("phone") ? PHONE.matcher(value).matches()
          : value.length() <= 254 && EMAIL.matcher(value).matches());
      if (!valid) {
        throw new Invalid(path + ".value", key.equals("phone") ? "is not a phone number" : "is not an email address");
      }
      contact.put(key, value);
    }
    if (addresses.size() > 1) {
      throw new Unprocessable("Patient.address: one address can be stored");
    }
    if (!addresses.isEmpty()) {
      contact.put("address", address(addresses.get(0)));
    }
    return contact;
  }

  private static JsonObject address(Address a) {
    String path = "Patient.address[0]";
    FhirElements.onlyHeld(a, path, Set.of("line", "city", "state", "postalCode", "country"));
    JsonObject json = new JsonObject();
    if (a.hasLine()) {
      if (a.getLine().size() > 3) {
        throw new Unprocessable(path + ".line: at most three lines can be stored");
      }
      JsonArray lines = new JsonArray();
      a.getLine().forEach(l -> lines.add(text(l.getValue(), 200, path + ".line")));
      json.put("lines", lines);
    }
    if (a.hasCity()) {
      json.put("city", text(a.getCity(), 100, path + ".city"));
    }
    if (a.hasState()) {
      json.put("region", text(a.getState(), 100, path + ".state"));
    }
    if (a.hasPostalCode()) {
      json.put("postalCode", text(a.getPostalCode(), 20, path + ".postalCode"));
    }
    if (a.hasCountry()) {
      if (!COUNTRY.matcher(a.getCountry()).matches()) {
        throw new Unprocessable(path + ".country: only an ISO 3166 two-letter code can be stored");
      }
      json.put("country", a.getCountry());
    }
    return json;
  }

  private static String language(List<Patient.PatientCommunicationComponent> communication) {
    if (communication.isEmpty()) {
      return null;
    }
    if (communication.size() > 1) {
      throw new Unprocessable("Patient.communication: one (preferred) language can be stored");
    }
    Patient.PatientCommunicationComponent c = communication.get(0);
    FhirElements.onlyHeld(c, "Patient.communication[0]", Set.of("language", "preferred"));
    if (c.hasPreferred() && !c.getPreferred()) {
      throw new Unprocessable("Patient.communication[0].preferred: only the preferred language can be stored");
    }
    FhirElements.onlyHeld(c.getLanguage(), "Patient.communication[0].language", Set.of("coding", "text"));
    List<Coding> codings = c.getLanguage().getCoding();
    if (codings.size() != 1 || !BCP47.equals(codings.get(0).getSystem()) || codings.get(0).getCode() == null) {
      throw new Unprocessable("Patient.communication[0].language: one coding of system " + BCP47 + " is required");
    }
    FhirElements.onlyHeld(codings.get(0), "Patient.communication[0].language.coding[0]",
        Set.of("system", "code", "display"));
    String code = codings.get(0).getCode();
    if (!LANGUAGE.matcher(code).matches()) {
      throw new Unprocessable("Patient.communication[0].language: " + "only a language tag such as en or pt-BR "
          + "can be stored");
    }
    return code;
  }

  private static String text(String value, int max, String path) {
    if (value == null || value.length() > max) {
      throw new Invalid(path, "at most " + max + " characters");
    }
    return value;
  }

  private static void noExtensions(Element element, String path) {
    if (element.hasExtension()) {
      throw new Unprocessable(path + ".extension cannot be stored by this server");
    }
  }
}
