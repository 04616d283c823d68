package io.caduceus.api.billing;

import io.caduceus.api.boot.TestPlatform;
import io.caduceus.api.boot.TestPlatform.TestUser;
import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.vertx.core.json.JsonObject;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * A clinic linked to an insurer for claims, with a patient who is a member of the insurer: the cast of the
 * billing tests. Visits are signed with procedures, ready to be charged.
 */
final class Billed {

  static final String MEMBER_ID = "ACM-448812-01";

  final Clinic clinic = Clinic.in("us");
  final Partner insurer = Partner.insurer("us");
  final TestUser accountant;
  final String patientId;
  final String memberPatientId;
  final String coverageId;
  private final TestPlatform platform = TestPlatform.get();
  private final Api api = platform.api();

  Billed() {
    insurer.usableLinkTo(clinic);
    accountant = platform.user(clinic.tenant, "accountant");
    patientId = clinic.patient(new JsonObject()
        .put("name", new JsonObject().put("family", "Garcia").put("given", "Maria"))
        .put("birthDate", "1984-06-02").put("sex", "female")
        .put("insurance", new JsonObject().put("payer", "Acme Health").put("plan", "Gold PPO")
            .put("memberId", MEMBER_ID))).getString("id");
    memberPatientId = expect(api.post("/v1/patients", insurerToken(), new JsonObject()
        .put("name", new JsonObject().put("family", "Garcia").put("given", "Maria"))
        .put("birthDate", "1984-06-02").put("sex", "female")), 201).json().getString("id");
    coverageId = expect(api.post("/v1/coverages", insurerToken(), new JsonObject().put("patientId", memberPatientId)
        .put("memberId", MEMBER_ID).put("plan", "Gold PPO").put("periodStart", "2026-01-01")
        .put("periodEnd", "2031-12-31")), 201).json().getString("id");
  }

  String insurerToken() {
    return insurer.token(insurer.staff);
  }

  String accountantToken() {
    return platform.token(accountant);
  }

  /** An appointment of the member patient. */
  String appointment() {
    return clinic.appointment(patientId).getString("id");
  }

  /** A visit documented with a diagnosis, notes and the given CPT procedures, signed unless told otherwise. */
  String visit(boolean signed, String... cptCodes) {
    String doctor = clinic.token(clinic.doctor);
    JsonObject e = expect(api.post("/v1/encounters", doctor, new JsonObject().put("appointmentId", appointment())),
        201).json();
    String path = "/v1/encounters/" + e.getString("id");
    expect(api.patch(path, doctor, new JsonObject().put("notes", "Private: discussed anxiety."),
        "\"" + e.getInteger("version") + "\""), 200);
    expect(api.post(path + "/diagnoses", doctor, new JsonObject().put("code", "J20.9")), 200);
    for (String code : cptCodes) {
      expect(api.post(path + "/procedures", doctor, new JsonObject().put("code", code)), 200);
    }
    if (signed) {
      expect(api.post(path + "/sign", doctor, null), 200);
    }
    return e.getString("id");
  }

  /** Puts a code on the clinic's fee schedule. */
  void fee(String code, long cents) {
    Api.Response r = api.put("/v1/fees/" + code, accountantToken(), new JsonObject().put("amountCents", cents)
        .put("currency", "USD"));
    if (r.status() != 200 && r.status() != 201) {
      throw new AssertionError("fee not set: " + r.body());
    }
  }

  /** A signed visit for one priced CPT code, charged and claimed from the insurer; returns the sent claim's id. */
  String sentClaim(String cptCode, long cents) {
    String visit = visit(true, cptCode);
    fee(cptCode, cents);
    expect(api.post("/v1/encounters/" + visit + "/charges", accountantToken(), null), 200);
    return expect(api.post("/v1/claims", accountantToken(), new JsonObject().put("encounterId", visit)
        .put("insurerTenantId", insurer.tenant.id().toString())), 201).json().getString("id");
  }
}
