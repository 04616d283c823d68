package io.caduceus.api.fhir;

import io.caduceus.api.smart.SmartAppFixture;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.ClinicFixture;
import io.caduceus.api.testing.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Encounter vread and history-instance: the visit's header as it was at each version V27's trigger kept, shown as the
 * read shows the current one and to the same callers (a patient: their own encounter's signed versions only).
 */
class FhirEncounterVersionsTest extends ClinicFixture {

  private Api.Response fhir(String path, String token, int status) {
    return FhirChart.get(api, path, token, status);
  }

  private static List<String> versions(JsonObject bundle) {
    List<String> out = new ArrayList<>();
    for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
      out.add(((JsonObject) e).getJsonObject("resource").getJsonObject("meta").getString("versionId"));
    }
    return out;
  }

  private static List<String> statuses(JsonObject bundle) {
    List<String> out = new ArrayList<>();
    for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
      out.add(((JsonObject) e).getJsonObject("resource").getString("status"));
    }
    return out;
  }

  private static String next(JsonObject bundle) {
    for (Object l : bundle.getJsonArray("link", new JsonArray())) {
      JsonObject link = (JsonObject) l;
      if ("next".equals(link.getString("relation"))) {
        return link.getString("url").replaceFirst("^https?://[^/]+/fhir/r4", "");
      }
    }
    return null;
  }

  private long audits(String action, String patient) {
    return Sql.query(platform.superuser(clinic.tenant), "SELECT 1 FROM " + clinic.tenant.place().schema()
        + ".audit_event WHERE tenant_id = ? AND action = ? AND ? = ANY (patient_ids)", clinic.tenant.id().value(),
        action, UUID.fromString(patient)).size();
  }

  /** The descending version numbers from {@code from} down to 1. */
  private static List<String> downFrom(int from) {
    List<String> out = new ArrayList<>();
    for (int v = from; v >= 1; v--) {
      out.add(String.valueOf(v));
    }
    return out;
  }

  private int currentVersion(String encounter, String token) {
    return Integer.parseInt(fhir("/Encounter/" + encounter, token, 200).json().getJsonObject("meta")
        .getString("versionId"));
  }

  @Test
  void anEarlierVersionReadsAsTheVisitWasBeforeItWasSigned() {
    FhirChart chart = FhirChart.visit(clinic, "Versioned", false);
    String doctor = clinic.token(clinic.doctor);
    int open = currentVersion(chart.encounter, doctor);
    assertThat(open).as("opening and each entry recorded made a version").isGreaterThan(1);
    expect(api.post("/v1/encounters/" + chart.encounter + "/sign", doctor, null), 200);
    long reads = audits("encounter.read", chart.patient);

    Api.Response first = fhir("/Encounter/" + chart.encounter + "/_history/1", doctor, 200);
    assertThat(first.header("ETag")).isEqualTo("W/\"1\"");
    JsonObject v1 = first.json();
    assertThat(v1.getString("resourceType")).isEqualTo("Encounter");
    assertThat(v1.getString("id")).isEqualTo(chart.encounter);
    assertThat(v1.getJsonObject("meta").getString("versionId")).isEqualTo("1");
    assertThat(v1.getString("status")).isEqualTo("in-progress");
    assertThat(v1.getJsonObject("period").containsKey("end")).as("not signed then").isFalse();
    assertThat(v1.getJsonObject("subject").getString("reference")).isEqualTo("Patient/" + chart.patient);

    JsonObject signed = fhir("/Encounter/" + chart.encounter + "/_history/" + (open + 1), doctor, 200).json();
    assertThat(signed.getString("status")).isEqualTo("finished");
    assertThat(signed.getJsonObject("period").getString("end")).isNotNull();
    assertThat(fhir("/Encounter/" + chart.encounter + "/_history/" + open, doctor, 200).json().getString("status"))
        .isEqualTo("in-progress");
    assertThat(audits("encounter.read", chart.patient)).as("each vread is audited as a read of the patient")
        .isEqualTo(reads + 3);

    assertThat(fhir("/Encounter/" + chart.encounter + "/_history/" + (open + 2), doctor, 404).json()
        .getString("resourceType")).isEqualTo("OperationOutcome");
    fhir("/Encounter/" + chart.encounter + "/_history/one", doctor, 400);
    fhir("/Encounter/" + chart.encounter + "/_history/0", doctor, 400);
    fhir("/Encounter/" + Clinic.unknownId() + "/_history/1", doctor, 404);
    fhir("/Encounter/" + Clinic.unknownId() + "/_history", doctor, 404);
  }

  @Test
  void theHistoryListsEveryVersionNewestFirstAndPages() {
    FhirChart chart = FhirChart.visit(clinic, "Paged", true);
    String doctor = clinic.token(clinic.doctor);
    int current = currentVersion(chart.encounter, doctor);
    long reads = audits("encounter.read", chart.patient);

    JsonObject all = fhir("/Encounter/" + chart.encounter + "/_history", doctor, 200).json();
    assertThat(all.getString("type")).isEqualTo("history");
    assertThat(versions(all)).containsExactlyElementsOf(downFrom(current));
    assertThat(statuses(all).get(0)).isEqualTo("finished");
    assertThat(statuses(all).subList(1, current)).containsOnly("in-progress");
    JsonArray entries = all.getJsonArray("entry");
    assertThat(entries.getJsonObject(current - 1).getJsonObject("request").getString("method")).isEqualTo("POST");
    assertThat(entries.getJsonObject(0).getJsonObject("request").getString("method")).isEqualTo("PUT");
    assertThat(entries.getJsonObject(0).getJsonObject("response").getString("etag"))
        .isEqualTo("W/\"" + current + "\"");
    assertThat(next(all)).isNull();
    assertThat(audits("encounter.read", chart.patient)).as("the history is audited as a read of the patient")
        .isEqualTo(reads + 1);

    List<String> paged = new ArrayList<>();
    String page = "/Encounter/" + chart.encounter + "/_history?_count=2";
    int pages = 0;
    while (page != null) {
      JsonObject bundle = fhir(page, doctor, 200).json();
      assertThat(versions(bundle).size()).isBetween(1, 2);
      paged.addAll(versions(bundle));
      page = next(bundle);
      pages++;
      assertThat(pages).as("pages end").isLessThanOrEqualTo(current);
    }
    assertThat(paged).containsExactlyElementsOf(downFrom(current));

    assertThat(versions(fhir("/Encounter/" + chart.encounter + "/_history?_since=2999-01-01T00:00:00Z", doctor, 200)
        .json())).isEmpty();
    assertThat(versions(fhir("/Encounter/" + chart.encounter + "/_history?_since=2000-01-01T00:00:00Z", doctor, 200)
        .json())).containsExactlyElementsOf(downFrom(current));
    fhir("/Encounter/" + chart.encounter + "/_history?_since=yesterday", doctor, 400);
    fhir("/Encounter/" + chart.encounter + "/_history?status=finished", doctor, 400);
  }

  @Test
  void aPatientSeesTheSignedVersionsOfTheirOwnEncounterOnly() {
    FhirChart chart = FhirChart.visit(clinic, "Portal", false);
    String doctor = clinic.token(clinic.doctor);
    String me = platform.token(platform.patientAccount(clinic.tenant, UUID.fromString(chart.patient)));
    fhir("/Encounter/" + chart.encounter + "/_history", me, 404);
    fhir("/Encounter/" + chart.encounter + "/_history/1", me, 404);

    int open = currentVersion(chart.encounter, doctor);
    expect(api.post("/v1/encounters/" + chart.encounter + "/sign", doctor, null), 200);
    expect(api.post("/v1/encounters/" + chart.encounter + "/addenda", doctor, new JsonObject()
        .put("text", "Chest X-ray reviewed: clear.")), 200);

    JsonObject history = fhir("/Encounter/" + chart.encounter + "/_history", me, 200).json();
    assertThat(versions(history)).as("signing and the addendum; nothing from before signing")
        .containsExactly(String.valueOf(open + 2), String.valueOf(open + 1));
    assertThat(statuses(history)).containsOnly("finished");
    fhir("/Encounter/" + chart.encounter + "/_history/" + (open + 1), me, 200);
    fhir("/Encounter/" + chart.encounter + "/_history/" + open, me, 404);
    fhir("/Encounter/" + chart.encounter + "/_history/1", me, 404);
    assertThat(versions(fhir("/Encounter/" + chart.encounter + "/_history", doctor, 200).json()))
        .as("a clinician sees every version").containsExactlyElementsOf(downFrom(open + 2));

    FhirChart other = FhirChart.visit(clinic, "Neighbour", true);
    fhir("/Encounter/" + other.encounter + "/_history", me, 404);
    fhir("/Encounter/" + other.encounter + "/_history/1", me, 404);
  }

  @Test
  void anotherTenantFindsNeitherVersionsNorHistory() {
    FhirChart chart = FhirChart.visit(clinic, "Isolated", true);
    Clinic other = Clinic.in("us");
    String outsider = other.token(other.doctor);
    fhir("/Encounter/" + chart.encounter + "/_history/1", outsider, 404);
    fhir("/Encounter/" + chart.encounter + "/_history", outsider, 404);
    String doctor = clinic.token(clinic.doctor);
    String more = next(fhir("/Encounter/" + chart.encounter + "/_history?_count=1", doctor, 200).json());
    assertThat(more).isNotNull();
    FhirChart theirs = FhirChart.visit(other, "Theirs", true);
    fhir("/Encounter/" + theirs.encounter + "/_history?_count=1&_cursor="
        + more.substring(more.indexOf("_cursor=") + 8), outsider, 400);
  }

  @Test
  void aPatientScopedSmartTokenReadsItsPatientsEncounterHistoryAndNotAnothers() {
    FhirChart mine = FhirChart.visit(clinic, "Mine", true);
    FhirChart neighbour = FhirChart.visit(clinic, "Neighbour", true);
    SmartAppFixture app = SmartAppFixture.register(api, clinic, "patient/Encounter.rs", "launch/patient");
    String token = app.token("patient/Encounter.rs launch/patient",
        clinic.token(platform.patientAccount(clinic.tenant, UUID.fromString(mine.patient))));

    JsonObject history = fhir("/Encounter/" + mine.encounter + "/_history", token, 200).json();
    assertThat(versions(history)).hasSize(1);
    assertThat(statuses(history)).containsExactly("finished");
    assertThat(fhir("/Encounter/" + neighbour.encounter + "/_history", token, 404).json().getString("resourceType"))
        .isEqualTo("OperationOutcome");
    fhir("/Encounter/" + neighbour.encounter + "/_history/1", token, 404);
  }

  @Test
  void theCapabilityStatementListsEncounterVersions() {
    JsonObject statement = fhir("/metadata", clinic.token(clinic.desk), 200).json();
    JsonObject encounter = null;
    for (Object r : statement.getJsonArray("rest").getJsonObject(0).getJsonArray("resource")) {
      if ("Encounter".equals(((JsonObject) r).getString("type"))) {
        encounter = (JsonObject) r;
      }
    }
    assertThat(encounter).isNotNull();
    assertThat(encounter.getString("versioning")).isEqualTo("versioned");
    assertThat(encounter.getBoolean("readHistory")).isTrue();
    List<String> codes = new ArrayList<>();
    encounter.getJsonArray("interaction").forEach(i -> codes.add(((JsonObject) i).getString("code")));
    assertThat(codes).contains("read", "vread", "history-instance", "search-type");
  }
}
