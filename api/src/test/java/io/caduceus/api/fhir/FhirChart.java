package io.caduceus.api.fhir;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;
import static org.assertj.core.api.Assertions.assertThat;

/** A documented visit of a clinic's patient, made through {@code /v1}, and FHIR reads that validate what they get. */
final class FhirChart {

  static final Map<String, String> FHIR = Map.of("Accept", "application/fhir+json");
  static final Map<String, String> FHIR_BODY = Map.of("Accept", "application/fhir+json",
      "Content-Type", "application/fhir+json");

  final String patient;
  final String encounter;

  private FhirChart(String patient, String encounter) {
    this.patient = patient;
    this.encounter = encounter;
  }

  /**
   * A visit of a new patient with a blood pressure (120/80), a heart rate (72), a weight (70 kg), a diagnosis
   * (J20.9) and a procedure (99213); signed when {@code sign}.
   */
  static FhirChart visit(Clinic clinic, String family, boolean sign) {
    Api api = clinic.platform.api();
    String patient = clinic.patient(family, "Test").getString("id");
    String appointment = clinic.appointment(patient).getString("id");
    String doctor = clinic.token(clinic.doctor);
    String encounter = expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId", appointment)),
        201).json().getString("id");
    String path = "/v1/encounters/" + encounter;
    expect(api.post(path + "/vitals", doctor, new JsonObject().put("vitals", new JsonArray()
        .add(vital("8480-6", 120, "mm[Hg]")).add(vital("8462-4", 80, "mm[Hg]")))), 200);
    expect(api.post(path + "/vitals", doctor, new JsonObject().put("vitals", new JsonArray()
        .add(vital("8867-4", 72, "/min")))), 200);
    expect(api.post(path + "/vitals", doctor, new JsonObject().put("vitals", new JsonArray()
        .add(vital("29463-7", 70, "kg")))), 200);
    expect(api.post(path + "/diagnoses", doctor, new JsonObject().put("code", "J20.9")
        .put("display", "Acute bronchitis, unspecified")), 200);
    expect(api.post(path + "/procedures", doctor, new JsonObject().put("code", "99213")
        .put("display", "Office visit, established patient")), 200);
    if (sign) {
      expect(api.post(path + "/sign", doctor, null), 200);
    }
    return new FhirChart(patient, encounter);
  }

  static JsonObject vital(String code, double value, String unit) {
    return new JsonObject().put("code", code).put("value", value).put("unit", unit);
  }

  /** GET of a FHIR path that must answer the status; a 200's resource must validate. */
  static Api.Response get(Api api, String path, String token, int status) {
    Api.Response r = expect(api.send("GET", "/fhir/r4" + path, token, null, FHIR), status);
    assertThat(r.header("Content-Type")).startsWith("application/fhir+json");
    FhirValidation.assertValid(r.body());
    return r;
  }

  /** A search's matched resources, each validated on its own too. */
  static List<JsonObject> matches(Api api, String path, String token) {
    JsonObject bundle = get(api, path, token, 200).json();
    assertThat(bundle.getString("type")).isEqualTo("searchset");
    List<JsonObject> found = new ArrayList<>();
    for (Object e : bundle.getJsonArray("entry", new JsonArray())) {
      JsonObject entry = (JsonObject) e;
      if ("match".equals(entry.getJsonObject("search").getString("mode"))) {
        JsonObject resource = entry.getJsonObject("resource");
        FhirValidation.assertValid(resource.encode());
        found.add(resource);
      }
    }
    return found;
  }

  /** The codes of a resource's {@code code} (or a component's). */
  static List<String> codes(JsonObject resource) {
    return resource.getJsonObject("code").getJsonArray("coding").stream()
        .map(c -> ((JsonObject) c).getString("code")).toList();
  }

  /** A random id no tenant holds. */
  static String unknown() {
    return java.util.UUID.randomUUID().toString();
  }

  /** The {@code next} link of a bundle, as a path below the FHIR base, or null. */
  static String next(JsonObject bundle) {
    for (Object l : bundle.getJsonArray("link")) {
      JsonObject link = (JsonObject) l;
      if ("next".equals(link.getString("relation"))) {
        String url = link.getString("url");
        return url.substring(url.indexOf("/fhir/r4") + "/fhir/r4".length());
      }
    }
    return null;
  }
}
