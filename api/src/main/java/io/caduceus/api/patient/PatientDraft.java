package io.caduceus.api.patient;

import io.caduceus.api.http.Requests;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
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
        birthDate == null ? null : Requests.date("/birthDate", birthDate), body.getString("sex"),
        body.getString("preferredLanguage"), body.getJsonObject("contact"), body.getJsonObject("insurance"),
        body.getJsonObject("identifiers"), body.getJsonObject("clinical"), sections);
  }
}
