package io.caduceus.api.fhir;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.routing.IsolationTier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** Patient search on the FHIR facade: each parameter, paging by the Bundle's next link, counts, and isolation. */
class FhirPatientSearchTest extends ClinicFixture {

  private static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");

  private JsonObject search(Clinic c, String query) {
    Api.Response r = expect(api.send("GET", "/fhir/r4/Patient" + query, c.token(c.desk), null, FHIR), 200);
    assertThat(r.header("Content-Type")).startsWith("application/fhir+json");
    FhirValidation.assertValid(r.body());
    JsonObject bundle = r.json();
    assertThat(bundle.getString("resourceType")).isEqualTo("Bundle");
    assertThat(bundle.getString("type")).isEqualTo("searchset");
    return bundle;
  }

  private static List<String> ids(JsonObject bundle) {
    List<String> ids = new ArrayList<>();
    JsonArray entries = bundle.getJsonArray("entry", new JsonArray());
    for (int i = 0; i < entries.size(); i++) {
      ids.add(entries.getJsonObject(i).getJsonObject("resource").getString("id"));
    }
    return ids;
  }

  private static String next(JsonObject bundle) {
    JsonArray links = bundle.getJsonArray("link");
    for (int i = 0; i < links.size(); i++) {
      if (links.getJsonObject(i).getString("relation").equals("next")) {
        return links.getJsonObject(i).getString("url");
      }
    }
    return null;
  }

  private static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private String patient(String mrn, String family, String given, String born, String sex) {
    return clinic.patient(new JsonObject().put("mrn", mrn)
        .put("name", new JsonObject().put("family", family).put("given", given))
        .put("birthDate", born).put("sex", sex)).getString("id");
  }

  @Test
  void eachParameterFiltersAsFhirSays() {
    String maria = patient("S-1", "Delgado", "Maria Elena", "1980-02-03", "female");
    String mario = patient("S-2", "Marino", "Delgado", "1992-07-10", "male");
    String ana = patient("S-3", "Ortiz", "Ana", "2001-12-31", "other");

    assertThat(ids(search(clinic, "?name=delg"))).containsExactlyInAnyOrder(maria, mario);
    assertThat(ids(search(clinic, "?family=delg"))).containsExactly(maria);
    assertThat(ids(search(clinic, "?given=delg"))).containsExactly(mario);
    assertThat(ids(search(clinic, "?given=ELE"))).containsExactly(maria);
    assertThat(ids(search(clinic, "?family=Delgado&given=maria"))).containsExactly(maria);
    assertThat(ids(search(clinic, "?identifier=" + enc(FhirSystems.MRN + "|S-2")))).containsExactly(mario);
    assertThat(ids(search(clinic, "?identifier=S-3"))).containsExactly(ana);
    assertThat(ids(search(clinic, "?identifier=" + enc("urn:other|S-3")))).isEmpty();
    assertThat(ids(search(clinic, "?_id=" + maria + "," + ana))).containsExactlyInAnyOrder(maria, ana);
    assertThat(ids(search(clinic, "?_id=not-a-uuid"))).isEmpty();
    assertThat(ids(search(clinic, "?gender=male,other"))).containsExactlyInAnyOrder(mario, ana);
    assertThat(ids(search(clinic, "?birthdate=1980-02-03"))).containsExactly(maria);
    assertThat(ids(search(clinic, "?birthdate=1992"))).containsExactly(mario);
    assertThat(ids(search(clinic, "?birthdate=ge1990&birthdate=lt2001-12-31"))).containsExactly(mario);
    assertThat(ids(search(clinic, "?birthdate=gt1992-07"))).containsExactly(ana);
    assertThat(ids(search(clinic, "?birthdate=le1980-02-03"))).containsExactly(maria);
    assertThat(ids(search(clinic, "?_lastUpdated=ge2000-01-01"))).containsExactlyInAnyOrder(maria, mario, ana);
    assertThat(ids(search(clinic, "?_lastUpdated=lt2000-01-01"))).isEmpty();
    assertThat(ids(search(clinic, "?name=delgado&gender=female&birthdate=1980"))).containsExactly(maria);

    JsonObject count = search(clinic, "?_summary=count&name=delg");
    assertThat(count.getInteger("total")).isEqualTo(2);
    assertThat(count.containsKey("entry")).isFalse();
    assertThat(search(clinic, "?_count=0").getInteger("total")).isEqualTo(3);
  }

  @Test
  void pagesFollowTheNextLinkAndCursorsAreBoundToTheTenantAndSearch() {
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(patient("P-" + i, "Pager" + i, "Page", "1990-01-0" + (i + 1), "unknown"));
    }
    List<String> seen = new ArrayList<>();
    JsonObject page = search(clinic, "?name=pager&_count=2");
    String firstNext = next(page);
    int pages = 0;
    while (true) {
      pages++;
      seen.addAll(ids(page));
      String next = next(page);
      if (next == null) {
        break;
      }
      assertThat(next).contains("name=pager").contains("_count=2").contains("_cursor=");
      page = search(clinic, next.substring(next.indexOf("/Patient") + "/Patient".length()));
    }
    assertThat(pages).isEqualTo(3);
    assertThat(seen).containsExactlyElementsOf(created);

    String cursor = firstNext.substring(firstNext.indexOf("_cursor=") + "_cursor=".length());
    Api.Response tampered = api.send("GET", "/fhir/r4/Patient?name=pager&_count=2&_cursor=x" + cursor,
        clinic.token(clinic.desk), null, FHIR);
    expect(tampered, 400);
    assertThat(tampered.json().getString("resourceType")).isEqualTo("OperationOutcome");
    FhirValidation.assertValid(tampered.body());
    expect(api.send("GET", "/fhir/r4/Patient?name=other&_count=2&_cursor=" + cursor, clinic.token(clinic.desk),
        null, FHIR), 400);
    Clinic other = Clinic.in("us");
    expect(api.send("GET", "/fhir/r4/Patient?name=pager&_count=2&_cursor=" + cursor, other.token(other.desk),
        null, FHIR), 400);
  }

  @Test
  void anotherTenantFindsNothingInAnyTier() {
    String maria = patient("I-1", "Isolde", "Maria", "1980-02-03", "female");
    for (IsolationTier tier : List.of(IsolationTier.SHARED, IsolationTier.SCHEMA, IsolationTier.DATABASE)) {
      Clinic other = Clinic.in("us", tier);
      assertThat(ids(search(other, "?name=isolde"))).isEmpty();
      assertThat(ids(search(other, "?_id=" + maria))).isEmpty();
      assertThat(ids(search(other, "?identifier=I-1"))).isEmpty();
      assertThat(search(other, "?_summary=count").getInteger("total")).isZero();
      expect(api.send("GET", "/fhir/r4/Patient/" + maria, other.token(other.desk), null, FHIR), 404);
    }
  }

  @Test
  void unsupportedParametersModifiersAndSortsAnswer400() {
    for (String query : List.of("?telecom=1", "?name:exact=x", "?_sort=birthdate", "?_include=Patient:organization",
        "?_revinclude=Observation:performer", "?gender=none", "?birthdate=ap1980",
        "?identifier=" + enc(FhirSystems.MRN + "|"), "?_summary=data", "?_total=sometimes")) {
      Api.Response r = api.send("GET", "/fhir/r4/Patient" + query, clinic.token(clinic.desk), null, FHIR);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.json().getString("resourceType")).isEqualTo("OperationOutcome");
    }
  }
}
