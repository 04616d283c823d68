package io.caduceus.api.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How a request path finds its contract path: literal segments before parameters, whole segments only. */
class ContractRoutesTest {

  private static final JsonObject CONTRACT = new JsonObject().put("paths", new JsonObject()
      .put("/v1/patients/{patientId}", op("getPatient"))
      .put("/v1/patients/search", op("searchPatients"))
      .put("/v1/patients/{patientId}/notes/{noteId}", op("getNote"))
      .put("/v1/patients/{patientId}/notes/latest", op("latestNote"))
      .put("/fhir/r4/Patient/$export", op("patientExport"))
      .put("/fhir/r4/{type}/$export", op("typeExport"))
      .put("/", op("home")));

  private final ContractRoutes routes = ContractRoutes.of(CONTRACT);

  @Test
  void aLiteralSegmentWinsOverAParameterAtTheSameDepth() {
    assertThat(operation("/v1/patients/search")).contains("searchPatients");
    assertThat(operation("/v1/patients/0192f0e0-0000-7000-8000-000000000001")).contains("getPatient");
    assertThat(operation("/v1/patients/p1/notes/latest")).contains("latestNote");
    assertThat(operation("/v1/patients/p1/notes/n1")).contains("getNote");
    assertThat(operation("/fhir/r4/Patient/$export")).contains("patientExport");
    assertThat(operation("/fhir/r4/Group/$export")).contains("typeExport");
  }

  @Test
  void aLiteralBranchThatEndsInNothingFallsBackToTheParameter() {
    // "search" is literal at depth 3, but /v1/patients/search/notes/n1 only exists under {patientId}.
    assertThat(operation("/v1/patients/search/notes/n1")).contains("getNote");
  }

  @Test
  void segmentsMatchWholeAndNonEmpty() {
    assertThat(routes.find("/v1/patients/")).isEmpty();
    assertThat(routes.find("/v1/patients//notes/n1")).isEmpty();
    assertThat(routes.find("/v1/patients/p1/extra/deep")).isEmpty();
    assertThat(routes.find("/v1/patient")).isEmpty();
    assertThat(routes.find("/v1/patients/p1/notes")).isEmpty();
    assertThat(routes.find("v1/patients/p1")).isEmpty();
    assertThat(routes.find("")).isEmpty();
    assertThat(routes.find(null)).isEmpty();
    assertThat(operation("/")).contains("home");
  }

  @Test
  void theWholeContractFindsEachOfItsTemplatesWithSampleValues() {
    ContractRoutes all = ContractRoutes.of(Contract.load().document());
    for (String template : all.templates()) {
      // "x1" is no literal segment of the contract, so the template itself must be what the path finds.
      String path = template.replaceAll("\\{[^}/]+}", "x1");
      assertThat(all.find(path).map(ContractRoutes.Route::template)).as(path).contains(template);
    }
  }

  private Optional<String> operation(String path) {
    return routes.find(path, HttpMethod.GET).map(ContractRoutes.Op::operationId);
  }

  private static JsonObject op(String id) {
    return new JsonObject().put("get", new JsonObject().put("operationId", id));
  }
}
