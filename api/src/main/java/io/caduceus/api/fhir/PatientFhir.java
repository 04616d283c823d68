package io.caduceus.api.fhir;

import io.caduceus.api.access.Access;
import io.caduceus.api.access.Permission;
import io.caduceus.api.error.Invalid;
import io.caduceus.api.error.Unprocessable;
import io.caduceus.api.paging.VersionRange;
import io.caduceus.api.patient.PatientSearch;
import io.caduceus.api.patient.PatientService;
import io.caduceus.routing.TenantContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Patient;

import org.hl7.fhir.r4.model.Enumerations.SearchParamType;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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
    return EnumSet.of(Interaction.READ, Interaction.VREAD, Interaction.HISTORY, Interaction.SEARCH,
        Interaction.CREATE, Interaction.UPDATE);
  }

  @Override
  public List<SearchParameter> searchParameters() {
    return List.of(
        new SearchParameter("_id", SearchParamType.TOKEN, "The patient's id; several separated by commas."),
        new SearchParameter("_lastUpdated", SearchParamType.DATE,
            "When the record last changed, with the prefixes eq, lt, le, gt, ge, sa and eb."),
        new SearchParameter("identifier", SearchParamType.TOKEN,
            "The MRN: " + FhirSystems.MRN + "|value, or the value alone; several separated by commas."),
        new SearchParameter("name", SearchParamType.STRING,
            "Each word starts a word of the family or given name (case-insensitive)."),
        new SearchParameter("family", SearchParamType.STRING, "The family name starts with the value."),
        new SearchParameter("given", SearchParamType.STRING, "A given name starts with the value."),
        new SearchParameter("birthdate", SearchParamType.DATE,
            "The birth date, with the prefixes eq, lt, le, gt, ge, sa and eb."),
        new SearchParameter("gender", SearchParamType.TOKEN,
            "male, female, other or unknown; several separated by commas."));
  }

  @Override
  public Future<FhirPage> search(TenantContext ctx, FhirQuery query) {
    PatientSearch q = searchOf(query);
    if (query.summaryCount()) {
      return patients.count(ctx, q).map(FhirPage::count);
    }
    return patients.search(ctx, q, query.cursor())
        .map(page -> FhirPage.of(page.items().stream().map(PatientFhir::of).toList(), page.nextCursor()));
  }

  @Override
  public List<String> revIncludes() {
    return List.of("Appointment:patient");
  }

  @Override
  public Class<Patient> resourceClass() {
    return Patient.class;
  }

  /** Registers the patient as {@code POST /v1/patients} would (same permissions, audit {@code patient.create}). */
  @Override
  public Future<Patient> create(TenantContext ctx, IBaseResource resource) {
    return Access.check(ctx, Permission.PATIENT_CREATE)
        .compose(v -> patients.create(ctx, PatientFhirBody.of((Patient) resource))).map(p -> of(p.json()));
  }

  /**
   * Replaces the patient as FHIR's update does, through {@code PatientService.update} (same permissions, audit
   * {@code patient.update}): the demographics always, the contact section when sent or when the record holds one
   * the caller can see (so a missing telecom or address clears it). A birth date, MRN or language the record holds
   * cannot be removed, so leaving one out answers 422 rather than silently keeping it.
   */
  @Override
  public Future<Patient> update(TenantContext ctx, String id, int version, IBaseResource resource) {
    UUID uuid = FhirHandlers.uuid(id, "patient");
    return patients.get(ctx, uuid).compose(current -> {
      JsonObject body = PatientFhirBody.of((Patient) resource);
      JsonObject stored = current.json();
      requireKept(body, stored, "birthDate", "Patient.birthDate");
      requireKept(body, stored, "preferredLanguage", "Patient.communication");
      if (!body.containsKey("contact")) {
        JsonObject contact = stored.getJsonObject("contact");
        if (contact != null && !contact.isEmpty()) {
          body.put("contact", new JsonObject());
        }
      }
      if (!body.containsKey("sex")) {
        body.put("sex", "unknown");
      }
      return patients.update(ctx, uuid, version, body);
    }).map(p -> of(p.json()));
  }

  private static void requireKept(JsonObject body, JsonObject stored, String field, String element) {
    if (!body.containsKey(field) && stored.getValue(field) != null) {
      throw new Unprocessable(element + " is on the record and cannot be removed; send it");
    }
  }

  /** The FHIR search as the service's: an identifier of another system or an id that is no UUID matches nothing. */
  static PatientSearch searchOf(FhirQuery query) {
    query.modifiersOnly(Set.of());
    List<UUID> ids = null;
    if (!query.all("_id").isEmpty()) {
      ids = new ArrayList<>();
      for (String id : query.anyOf("_id")) {
        uuid(id).ifPresent(ids::add);
      }
    }
    List<String> mrns = SearchValues.codes(query, "identifier", FhirSystems.MRN).orElse(null);
    List<String> sexes = null;
    if (!query.all("gender").isEmpty()) {
      sexes = query.anyOf("gender");
      for (String sex : sexes) {
        if (!Set.of("male", "female", "other", "unknown").contains(sex)) {
          throw new Invalid("gender", "is male, female, other or unknown");
        }
      }
    }
    String name = query.all("name").isEmpty() ? null : String.join(" ", query.all("name"));
    if (name != null && name.contains(",")) {
      throw new Invalid("name", "takes no commas here (send several words to narrow the search)");
    }
    Optional<FhirQuery.DateRange> born = query.dateRange("birthdate");
    Optional<FhirQuery.DateRange> updated = query.dateRange("_lastUpdated");
    return new PatientSearch(blankToNull(name), null, null, query.count(), ids,
        query.one("family").orElse(null), query.one("given").orElse(null), sexes,
        born.map(r -> day(r.from())).orElse(null), born.map(r -> day(r.to())).orElse(null),
        updated.map(r -> r.from() == null ? null : r.from().toInstant()).orElse(null),
        updated.map(r -> r.to() == null ? null : r.to().toInstant()).orElse(null), mrns);
  }

  /** The first day at or after an instant (a birth date is a day). */
  private static LocalDate day(OffsetDateTime at) {
    if (at == null) {
      return null;
    }
    OffsetDateTime utc = at.withOffsetSameInstant(ZoneOffset.UTC);
    LocalDate date = utc.toLocalDate();
    return utc.toLocalTime().equals(LocalTime.MIDNIGHT) ? date : date.plusDays(1);
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static Optional<UUID> uuid(String id) {
    try {
      return id.length() == 36 ? Optional.of(UUID.fromString(id)) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public Future<Patient> read(TenantContext ctx, String id) {
    UUID uuid = FhirHandlers.uuid(id, "patient");
    return patients.get(ctx, uuid).map(p -> {
      ctx.audit().patient(uuid);
      return of(p.json());
    });
  }

  /** Earlier versions are projected for the caller as the current one is, and audited as its read. */
  @Override
  public Future<List<IBaseResource>> history(TenantContext ctx, String id, VersionRange range) {
    UUID uuid = FhirHandlers.uuid(id, "patient");
    return patients.versions(ctx, uuid, range).map(versions -> {
      ctx.audit().patient(uuid);
      return versions.stream().<IBaseResource>map(p -> of(p.json())).toList();
    });
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
      Address address = FhirAddresses.of(contact.getJsonObject("address"));
      if (address != null) {
        patient.addAddress(address);
      }
    }
    String language = json.getString("preferredLanguage");
    if (language != null) {
      patient.addCommunication().setPreferred(true).getLanguage().addCoding().setSystem("urn:ietf:bcp:47")
          .setCode(language);
    }
    return patient;
  }
}
