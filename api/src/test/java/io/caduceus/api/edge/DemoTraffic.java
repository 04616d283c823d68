package io.caduceus.api.edge;

import io.caduceus.api.demo.DemoPlatform;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Load;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * A demo node's everyday traffic, for the tests that break a node under load: Riverside's front desk (signed in) and
 * one of its patients, and the kinds of request the load sends.
 */
record DemoTraffic(Api api, String desk, String patient) {

  /** Signs Riverside's front desk in on the node behind {@code api} and picks the demo patient Garcia. */
  static DemoTraffic on(Api api) {
    String desk = api.accessToken("frontdesk@riverside.test", DemoPlatform.PASSWORD);
    String patient = expect(api.get("/v1/patients?name=garcia", desk), 200).items().getJsonObject(0).getString("id");
    return new DemoTraffic(api, desk, patient);
  }

  /**
   * One worker per kind: the desk lists, reads and registers patients (named {@code family}, each registration with
   * an idempotency key of its own under {@code keyPrefix}), a nurse signs in, and a probe asks for readiness.
   */
  Map<String, Load.Request> kinds(String family, String keyPrefix) {
    Map<String, Load.Request> kinds = new LinkedHashMap<>();
    kinds.put("list", (w, n) -> api.get("/v1/patients?limit=5", desk));
    kinds.put("read", (w, n) -> api.get("/v1/patients/" + patient, desk));
    kinds.put("write", (w, n) -> api.post("/v1/patients", desk, new JsonObject()
        .put("name", new JsonObject().put("family", family).put("given", "W" + n)).put("birthDate", "1980-01-01"),
        Map.of("Idempotency-Key", keyPrefix + n)));
    kinds.put("login", (w, n) -> api.post("/v1/auth/login", null, new JsonObject()
        .put("email", "nurse.chen@riverside.test").put("password", DemoPlatform.PASSWORD)));
    kinds.put("ready", (w, n) -> api.get("/health/ready", null));
    return kinds;
  }
}
