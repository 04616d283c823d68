package io.caduceus.api.engagement;

import io.caduceus.api.error.Invalid;
import io.vertx.core.json.JsonObject;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A campaign's segment: filters over the tenant's patients (age, sex, a diagnosis prefix, language, visited or not
 * since a date), every given one must hold. It becomes the parameters of one fixed query
 * ({@link EngagementPatientRepository#inSegment}); an absent filter is a null parameter that matches everyone.
 */
final class Segments {

  private Segments() {
  }

  /** The seven parameters of the segment's query, each null when its filter is absent. */
  static List<Object> parameters(JsonObject segment) {
    Integer min = segment.getInteger("ageMin");
    Integer max = segment.getInteger("ageMax");
    if (min != null && max != null && min > max) {
      throw new Invalid("/segment/ageMax", "is below ageMin");
    }
    return new ArrayList<>(Arrays.asList(min, max, segment.getString("sex"), segment.getString("diagnosisPrefix"),
        segment.getString("language"), date(segment, "visitedSince"), date(segment, "notVisitedSince")));
  }

  private static LocalDate date(JsonObject segment, String field) {
    String text = segment.getString(field);
    try {
      return text == null ? null : LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new Invalid("/segment/" + field, "is not a date");
    }
  }
}
