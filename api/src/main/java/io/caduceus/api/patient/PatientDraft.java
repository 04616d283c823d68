package io.caduceus.api.patient;

import io.caduceus.api.error.Invalid;
import io.caduceus.api.http.Requests;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Set;

/** A validated create or update request: the values sent, and which sections they touch. */
record PatientDraft(
    String mrn,
    JsonObject name,
    LocalDate birthDate,
    String sex,
    String preferredLanguage,
    JsonObject contact,
    JsonObject insurance,
    JsonObject identifiers,
    JsonObject clinical,
    Set<PatientSection> sections) {

  /**
   * The earliest zone on Earth (UTC+14, Kiribati): a birth date is refused only when it is still in the future
   * there, so a child born today is accepted wherever the clinic and the server are.
   */
  private static final ZoneOffset LATEST_DATE_ON_EARTH = ZoneOffset.ofHours(14);

  /** Reads a body the contract has validated ({@code PatientCreate} or {@code PatientUpdate}). */
  static PatientDraft from(JsonObject body) {
    Set<PatientSection> sections = EnumSet.noneOf(PatientSection.class);
    for (String demographic : new String[] {"mrn", "name", "birthDate", "sex", "preferredLanguage"}) {
      if (body.containsKey(demographic)) {
        sections.add(PatientSection.DEMOGRAPHICS);
      }
    }
    if (body.containsKey("contact")) {
      sections.add(PatientSection.CONTACT);
    }
    if (body.containsKey("insurance")) {
      sections.add(PatientSection.INSURANCE);
    }
    if (body.containsKey("identifiers")) {
      sections.add(PatientSection.IDENTIFIERS);
    }
    if (body.containsKey("clinical")) {
      sections.add(PatientSection.CLINICAL);
    }
    String birthDate = body.getString("birthDate");
    return new PatientDraft(body.getString("mrn"), body.getJsonObject("name"),
        birthDate == null ? null : born(Requests.date("/birthDate", birthDate)), body.getString("sex"),
        body.getString("preferredLanguage"), body.getJsonObject("contact"), body.getJsonObject("insurance"),
        body.getJsonObject("identifiers"), body.getJsonObject("clinical"), sections);
  }

  /** This draft with another contact section (the same sections are touched). */
  PatientDraft withContact(JsonObject replaced) {
    return new PatientDraft(mrn, name, birthDate, sex, preferredLanguage, replaced, insurance, identifiers, clinical,
        sections);
  }

  private static LocalDate born(LocalDate date) {
    if (date.isAfter(LocalDate.now(LATEST_DATE_ON_EARTH))) {
      throw new Invalid("/birthDate", "is in the future");
    }
    return date;
  }
}
