package io.caduceus.api.fhir;

import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static io.caduceus.api.fhir.FhirChart.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code _revinclude} brings every referring resource of a page's matches up to its cap, page after page of the
 * source's search, and says so in an OperationOutcome entry ({@code search.mode = outcome}) when it cuts.
 */
class FhirRevincludeCapTest extends ClinicFixture {

  /**
   * {@code copies} more appointments of the patient, an hour apart from 50 years after its booked one (where no
   * test books), written past row-level security.
   */
  private void copies(Clinic c, String appointment, int copies) {
    String table = c.tenant.place().schema() + ".appointment";
    String shift = " + interval '50 years' + g * interval '1 hour'";
    Sql.update(platform.superuser(c.tenant), "INSERT INTO " + table + " SELECT (jsonb_populate_record(a, "
        + "jsonb_build_object('id', gen_random_uuid(), 'starts_at', a.starts_at" + shift + ", 'ends_at', a.ends_at"
        + shift + ", 'held_until', a.held_until" + shift + "))).* FROM " + table + " a, generate_series(1, ?) g WHERE a.id = ?", copies,
        UUID.fromString(appointment));
  }

  private static List<JsonObject> entries(JsonObject bundle, String mode) {
    return bundle.getJsonArray("entry", new JsonArray()).stream().map(e -> (JsonObject) e)
        .filter(e -> mode.equals(e.getJsonObject("search").getString("mode"))).toList();
  }

  @Test
  void aRevincludeBeyondItsCapEndsWithAWarningThatValidates() {
    String patient = clinic.patient("Frequent", "Visitor").getString("id");
    copies(clinic, clinic.appointment(patient).getString("id"), Includes.REVINCLUDE_CAP);
    String desk = clinic.token(clinic.desk);
    String search = "/Patient?_id=" + patient + "&_revinclude=Appointment:patient";

    JsonObject bundle = get(api, search, desk, 200).json();
    assertThat(entries(bundle, "match")).hasSize(1);
    List<JsonObject> included = entries(bundle, "include");
    assertThat(included).hasSize(Includes.REVINCLUDE_CAP)
        .allMatch(e -> e.getJsonObject("resource").getString("resourceType").equals("Appointment"));
    assertThat(included.stream().map(e -> e.getJsonObject("resource").getString("id")).distinct())
        .hasSize(Includes.REVINCLUDE_CAP);
    List<JsonObject> outcomes = entries(bundle, "outcome");
    assertThat(outcomes).hasSize(1);
    JsonObject issue = outcomes.get(0).getJsonObject("resource").getJsonArray("issue").getJsonObject(0);
    assertThat(issue.getString("severity")).isEqualTo("warning");
    assertThat(issue.getString("diagnostics")).contains("truncated at " + Includes.REVINCLUDE_CAP);

    assertThat(get(api, "/Appointment?_summary=count&patient=" + patient, desk, 200).json().getInteger("total"))
        .isEqualTo(Includes.REVINCLUDE_CAP + 1);

    Clinic other = Clinic.in("us");
    JsonObject outside = get(api, search, other.token(other.desk), 200).json();
    assertThat(outside.getJsonArray("entry", new JsonArray())).isEmpty();
  }

  @Test
  void aRevincludeUnderItsCapBringsEveryPageOfTheSourceWithoutAWarning() {
    String patient = clinic.patient("Regular", "Visitor").getString("id");
    copies(clinic, clinic.appointment(patient).getString("id"), 149);
    JsonObject bundle = get(api, "/Patient?_id=" + patient + "&_revinclude=Appointment:patient",
        clinic.token(clinic.desk), 200).json();
    assertThat(entries(bundle, "include")).hasSize(150);
    assertThat(entries(bundle, "outcome")).isEmpty();
  }
}
