package io.caduceus.api.prescription;

import io.caduceus.api.testing.Api;
import io.caduceus.api.testing.Clinic;
import io.caduceus.api.testing.Partner;
import io.caduceus.routing.testing.Await;
import io.vertx.core.json.JsonObject;

import static io.caduceus.api.testing.Clinic.expect;

/**
 * A clinic linked to a pharmacy, with one patient, so a test can say "prescribe warfarin, then find the pharmacy's
 * copy" in a line each. Prescriptions go through the API exactly as a physician sends them.
 */
final class Prescribing {

  static final String WARFARIN = "855332";
  static final String ASPIRIN = "243670";
  static final String SIMVASTATIN = "312961";
  static final String CLARITHROMYCIN = "197517";
  static final String DIGOXIN = "197604";
  static final String AMOXICILLIN = "308191";
  static final String METFORMIN = "861007";

  final Clinic clinic;
  final Partner pharmacy = Partner.pharmacy("us");
  final String linkId;
  final String patientId;
  final Api api;

  Prescribing(String family, String given) {
    this(family, given, "us");
  }

  /** A clinic in {@code clinicRegion}, linked to a pharmacy in {@code us} (a residency decision still to record). */
  Prescribing(String family, String given, String clinicRegion) {
    this.clinic = Clinic.in(clinicRegion);
    this.linkId = pharmacy.linkTo(clinic).getString("id");
    this.patientId = clinic.patient(new JsonObject().put("name", new JsonObject().put("family", family)
            .put("given", given)).put("birthDate", "1961-04-12").put("sex", "female")
        .put("contact", new JsonObject().put("phone", "+1 555 0142").put("email", given.toLowerCase() + "@example.test")))
        .getString("id");
    this.api = clinic.platform.api();
  }

  /** A prescription body of {@code rxnorm} for the patient, to this pharmacy. */
  JsonObject body(String rxnorm, String display, int refills) {
    return new JsonObject().put("patientId", patientId).put("pharmacyTenantId", pharmacy.tenant.id().toString())
        .put("medication", new JsonObject().put("rxnorm", rxnorm).put("display", display))
        .put("dose", "1 tablet").put("frequency", "once daily").put("quantity", 30).put("refills", refills)
        .put("daysSupply", 30).put("note", "May substitute a generic");
  }

  /** Prescribes as the clinic's physician and returns the clinic's copy. */
  JsonObject prescribe(String rxnorm, String display, int refills) {
    return expect(api.post("/v1/prescriptions", doctor(), body(rxnorm, display, refills)), 201).json();
  }

  /** The pharmacy's copy of the prescription of {@code rxnorm}, once it has arrived. */
  JsonObject atPharmacy(String rxnorm) {
    return Await.until(() -> expect(api.get("/v1/prescriptions?direction=incoming", pharmacist()), 200).items()
            .stream().map(JsonObject.class::cast)
            .filter(p -> rxnorm.equals(p.getJsonObject("medication").getString("rxnorm"))).findFirst().orElse(null),
        p -> p != null);
  }

  /** The clinic's copy once it is in {@code status}. */
  JsonObject atClinic(String id, String status) {
    return Await.until(() -> expect(api.get("/v1/prescriptions/" + id, doctor()), 200).json(),
        p -> status.equals(p.getString("status")));
  }

  /** Prescribes and waits for the pharmacy's copy; returns the pharmacy's copy id. */
  String received(String rxnorm, String display, int refills) {
    prescribe(rxnorm, display, refills);
    return atPharmacy(rxnorm).getString("id");
  }

  /** The interaction check of the pharmacy's copy. */
  JsonObject check(String pharmacyCopy) {
    return expect(api.get("/v1/prescriptions/" + pharmacyCopy + "/interactions", pharmacist()), 200).json();
  }

  /** Dispenses one fill as the pharmacist. */
  Api.Response dispense(String pharmacyCopy, String lot, int quantity) {
    return api.post("/v1/prescriptions/" + pharmacyCopy + "/dispense", pharmacist(),
        new JsonObject().put("lot", lot).put("quantity", quantity));
  }

  String doctor() {
    return clinic.token(clinic.doctor);
  }

  String pharmacist() {
    return pharmacy.token(pharmacy.staff);
  }
}
