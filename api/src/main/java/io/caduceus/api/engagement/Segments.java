package io.caduceus.api.engagement;

import io.caduceus.api.error.Invalid;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A campaign's segment: filters over the tenant's patients (age, sex, a diagnosis prefix, language, visited or not
 * since a date), every given one must hold. It becomes one fixed, parameterised query; an absent filter is a null
 * parameter that matches everyone.
 */
final class Segments {

  /** The ids of the segment's patients, over parameters $1 to $7. */
  private static final String PATIENTS = """
      SELECT p.id
      FROM patient p
      WHERE p.deleted_at IS NULL
        AND ($1::int IS NULL OR p.birth_date <= current_date - make_interval(years => $1::int))
        AND ($2::int IS NULL OR p.birth_date > current_date - make_interval(years => $2::int + 1))
        AND ($3::text IS NULL OR p.sex = $3::text)
        AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM diagnosis d WHERE d.patient_id = p.id
          AND d.code LIKE $4::text || '%'))
        AND ($5::text IS NULL OR split_part(p.preferred_language, '-', 1) = $5::text)
        AND ($6::date IS NULL OR EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id
          AND a.status IN ('checked_in', 'fulfilled') AND a.starts_at >= $6::date))
        AND ($7::date IS NULL OR NOT EXISTS (SELECT 1 FROM appointment a WHERE a.patient_id = p.id
          AND a.status IN ('checked_in', 'fulfilled') AND a.starts_at >= $7::date))""";

  private Segments() {
  }

  /** The ids of the segment's patients, on the caller's tenant transaction. */
  static Future<List<UUID>> patients(SqlConnection conn, JsonObject segment) {
    return conn.preparedQuery(PATIENTS).execute(Tuple.from(parameters(segment))).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
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
