package io.caduceus.api.audit;

import io.caduceus.api.testing.Api;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * Request bodies and path values for the operations whose schema {@code ContractSamples} cannot satisfy from the
 * contract alone (a pattern without an example, a value the domain bounds): valid, and naming nothing that exists.
 */
final class ProbeBodies {

  /** Path parameters that are neither UUIDs nor sampled from an enum or example. */
  static final Map<String, String> PATH_VALUES = Map.of("cptCode", "99213", "locale", "en");

  private final Map<String, Supplier<JsonObject>> bodies;

  /** The bodies; the engagement settings are the clinic's own, read by its admin. */
  ProbeBodies(Api api, String clinicAdminToken) {
    bodies = Map.ofEntries(
        Map.entry("createTenant", () -> new JsonObject().put("kind", "clinic").put("slug", slug())
            .put("name", "Audit probe").put("dataRegion", "us").put("locale", "en-US").put("timeZone", "UTC")),
        Map.entry("importTenant", () -> new JsonObject().put("archiveJobId", id()).put("dataRegion", "us")),
        Map.entry("registerOrganisation", () -> new JsonObject().put("kind", "lab").put("slug", slug())
            .put("name", "Audit probe lab").put("dataRegion", "us").put("locale", "en-US").put("timeZone", "UTC")
            .put("admin", new JsonObject().put("email", slug() + "@probe.test").put("password", "probe-password-1")
                .put("displayName", "Probe Admin"))),
        Map.entry("createScimUser", () -> new JsonObject().put("userName", slug() + "@probe.test")),
        Map.entry("replaceScimUser", () -> new JsonObject().put("userName", slug() + "@probe.test")),
        Map.entry("createScimGroup", () -> new JsonObject().put("displayName", "Probe " + slug())),
        Map.entry("replaceScimGroup", () -> new JsonObject().put("displayName", "Probe " + slug())),
        Map.entry("recordVitals", () -> new JsonObject().put("vitals", new JsonArray().add(new JsonObject()
            .put("code", "8867-4").put("value", 72).put("unit", "/min")))),
        Map.entry("addDiagnosis", () -> new JsonObject().put("code", "J20.9")),
        Map.entry("addProcedure", () -> new JsonObject().put("code", "99213")),
        Map.entry("placeLabOrder", () -> new JsonObject().put("patientId", id()).put("labTenantId", id())
            .put("tests", new JsonArray().add(new JsonObject().put("code", "2345-7")))),
        Map.entry("resultLabOrder", () -> new JsonObject().put("results", new JsonArray().add(new JsonObject()
            .put("code", "2345-7").put("value", 105).put("unit", "mg/dL")))),
        Map.entry("placePrescription", () -> new JsonObject().put("patientId", id()).put("pharmacyTenantId", id())
            .put("medication", new JsonObject().put("rxnorm", "861007").put("display", "Metformin 500 mg"))
            .put("dose", "1 tablet").put("frequency", "twice daily").put("quantity", 60).put("refills", 1)
            .put("daysSupply", 30)),
        Map.entry("reviewPrescriptionInteractions", () -> new JsonObject()
            .put("acknowledged", new JsonArray().add("kb:0a1b:" + id())).put("note", "Reviewed.")),
        Map.entry("putFee", () -> new JsonObject().put("amountCents", 21_000).put("currency", "USD")),
        Map.entry("dispensePrescription", () -> new JsonObject().put("lot", "LOT-1").put("quantity", 1)),
        Map.entry("createInteractionRule", () -> new JsonObject().put("ingredientA", "723").put("ingredientB", "6809")
            .put("severity", "moderate").put("effect", "Probe.").put("management", "Probe.").put("source", "Probe")),
        Map.entry("answerSurvey", () -> new JsonObject().put("answers", new JsonArray()
            .add(new JsonObject().put("questionId", "recommend").put("score", 9)))),
        Map.entry("putEngagementSettings", () -> {
          JsonObject settings = expect(api.get("/v1/engagement/settings", clinicAdminToken), 200).json();
          settings.remove("version");
          return settings;
        }),
        Map.entry("createCareRule", () -> new JsonObject().put("name", "Probe rule").put("diagnosisPrefix", "E11")
            .put("loincCode", "4548-4").put("intervalMonths", 6)),
        Map.entry("createSurvey", () -> new JsonObject().put("name", "Probe survey").put("kind", "nps")
            .put("afterVisit", false).put("questions", new JsonArray().add(new JsonObject().put("id", "recommend")
                .put("text", "Would you recommend us?").put("type", "score")))));
  }

  /** The body for an operation, if it needs one given here. */
  Optional<JsonObject> of(String operationId) {
    return Optional.ofNullable(bodies.get(operationId)).map(Supplier::get);
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  private static String slug() {
    return "audit-probe-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
